/** Entry point of the language server: `node server.js --stdio` (or --node-ipc, --socket=N). */
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { LogfunnelServer } from './server';

const connection = createConnection(ProposedFeatures.all);
// A bug in one analysis must never take the editor's server down.
process.on('uncaughtException', (e) => connection.console.error(`logfunnel: uncaught: ${e.stack ?? e}`));
process.on('unhandledRejection', (e) => connection.console.error(`logfunnel: unhandled rejection: ${e}`));
new LogfunnelServer(connection).listen();
