import { Command } from '@commander-js/extra-typings';
import { toolVersion } from '../version.js';
import { accountCommand } from './commands/account.js';
import { clusterCommand } from './commands/cluster.js';
import { compareCommand } from './commands/compare.js';
import { demoCommand } from './commands/demo.js';
import { detectCommand } from './commands/detect.js';
import { endpointsCommand } from './commands/endpoints.js';
import { exchangeMovementsCommand } from './commands/exchangeMovements.js';
import { exportCommand } from './commands/export.js';
import { fetchCommand } from './commands/fetch.js';
import { findingsCommand } from './commands/findings.js';
import { infoCommand } from './commands/info.js';
import { ingestCommand } from './commands/ingest.js';
import { logCommand } from './commands/log.js';
import { profilesCommand } from './commands/profiles.js';
import { removeSourceCommand } from './commands/removeSource.js';
import { reportCommand } from './commands/report.js';
import { requestsCommand } from './commands/requests.js';
import { searchCommand } from './commands/search.js';
import { serveCommand } from './commands/serve.js';
import { sourcesCommand } from './commands/sources.js';
import { statusCommand } from './commands/status.js';
import { tagsCommand } from './commands/tags.js';
import { traceCommand } from './commands/trace.js';
import { transfersCommand } from './commands/transfers.js';
import { verifyCommand } from './commands/verify.js';
import type { Parent } from './options.js';

/** The commands, in the order `hoptrace --help` lists them; each declares itself in src/cli/commands/. */
const COMMANDS: readonly ((program: Parent) => void)[] = [
  ingestCommand,
  profilesCommand,
  exchangeMovementsCommand,
  statusCommand,
  requestsCommand,
  fetchCommand,
  traceCommand,
  verifyCommand,
  demoCommand,
  reportCommand,
  clusterCommand,
  detectCommand,
  findingsCommand,
  tagsCommand,
  endpointsCommand,
  exportCommand,
  infoCommand,
  accountCommand,
  transfersCommand,
  searchCommand,
  serveCommand,
  compareCommand,
  sourcesCommand,
  removeSourceCommand,
  logCommand,
];

/** The program and its own option, --db, which every command sees. */
function declareProgram() {
  return new Command('hoptrace')
    .description('Follow scam-compound money from victims through mule accounts and USDT hops to where it is laundered.')
    .option('--db <file>', 'case file (SQLite), or a PostgreSQL case: postgres://USER@HOST:PORT/DB; env HOPTRACE_DB')
    .version(toolVersion(), '-V, --version')
    .showHelpAfterError()
    .exitOverride();
}

export type Program = ReturnType<typeof declareProgram>;

/**
 * Declares every command. Each action imports its module (src/cli/run/) lazily, so
 * `hoptrace --help` loads commander and nothing else.
 */
export function buildProgram(): Program {
  const program = declareProgram();
  program.configureOutput({ writeErr: (text) => process.stderr.write(text) });
  program.addHelpText(
    'after',
    '\nExamples:\n  $ hoptrace ingest usdt samples/usdt/eth-platform-and-collector.etherscan.csv samples/usdt/tron-otc-and-collection.trongrid.json\n  $ hoptrace --db case.db info --json\n',
  );
  for (const register of COMMANDS) register(program);
  return program;
}
