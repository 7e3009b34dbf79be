import { freePorts, isPortFree } from './free-ports';

/** Every port the single-process Temporal server listens on. */
export interface ClusterPorts {
  frontend: number;
  history: number;
  matching: number;
  worker: number;
  frontendMembership: number;
  historyMembership: number;
  matchingMembership: number;
  workerMembership: number;
}

/** Temporal's own layout around a frontend port (7233 → 7234, 7235, 7239 and 6933…6939), so restarts reuse them. */
export const portsAround = (frontend: number): ClusterPorts => ({
  frontend,
  history: frontend + 1,
  matching: frontend + 2,
  worker: frontend + 6,
  frontendMembership: frontend - 300,
  historyMembership: frontend - 299,
  matchingMembership: frontend - 298,
  workerMembership: frontend - 294,
});

/** Eight ports that were free a moment ago: a throwaway test cluster beside whatever else runs. */
export const freeClusterPorts = async (): Promise<ClusterPorts> => {
  const [frontend, history, matching, worker, frontendMembership, historyMembership, matchingMembership, workerMembership] =
    await freePorts(8);
  return {
    frontend: frontend!,
    history: history!,
    matching: matching!,
    worker: worker!,
    frontendMembership: frontendMembership!,
    historyMembership: historyMembership!,
    matchingMembership: matchingMembership!,
    workerMembership: workerMembership!,
  };
};

/** Names the first port some other process holds, so the error says what to change. */
export const firstBusyPort = async (ports: ClusterPorts, host: string): Promise<string | undefined> => {
  for (const [name, port] of Object.entries(ports) as Array<[string, number]>) {
    if (port < 1 || port > 65535 || !(await isPortFree(port, host))) return `${name} port ${port}`;
  }
  return undefined;
};

/** The CLUSTER_* variables deploy/temporal/config/cluster.yaml reads for its ports. */
export const portVariables = (ports: ClusterPorts): Record<string, string> => ({
  CLUSTER_FRONTEND_PORT: String(ports.frontend),
  CLUSTER_HISTORY_PORT: String(ports.history),
  CLUSTER_MATCHING_PORT: String(ports.matching),
  CLUSTER_WORKER_PORT: String(ports.worker),
  CLUSTER_FRONTEND_MEMBERSHIP_PORT: String(ports.frontendMembership),
  CLUSTER_HISTORY_MEMBERSHIP_PORT: String(ports.historyMembership),
  CLUSTER_MATCHING_MEMBERSHIP_PORT: String(ports.matchingMembership),
  CLUSTER_WORKER_MEMBERSHIP_PORT: String(ports.workerMembership),
});
