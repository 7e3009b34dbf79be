import { ensureChromium } from '../src/infra/tools';

// `tsx scripts/ensure-chromium.ts`: installs what the browser tests (test/ui) drive.
const tools = await ensureChromium((message) => console.log(`[tools] ${message}`));
console.log(tools.available ? `[tools] chromium: ${tools.executablePath}` : `[tools] chromium unavailable: ${tools.reason}`);
