/** Notification node limits, without zod: the workflow bundle reads them (docs/notifications.md). */
export const NOTIFICATION_NODE_LIMITS = {
  bodyTemplateMaxChars: 16_000,
  subjectTemplateMaxChars: 2000,
  recipients: { min: 1, max: 50 },
  recipientMaxChars: 320,
  slackTargetMaxChars: 2000,
  /** After substitution (docs/notifications.md, "Templates"); a longer rendering fails the step. */
  renderedBodyMaxChars: 64 * 1024,
  renderedSubjectMaxChars: 4000,
} as const;
