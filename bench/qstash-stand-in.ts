/**
 * The QStash stand-in in a process of its own for the QStash bench: in production QStash's
 * servers take the publishes, sign and deliver, not the app's process. Prints its credentials as
 * one JSON line, stops on SIGTERM.
 */
import { startQStashStandInServer } from "@creatorsearch/qstash/testing";

const server = await startQStashStandInServer();
process.stdout.write(`${JSON.stringify(server.standIn.credentials)}\n`);
process.once("SIGTERM", () => void server.close().then(() => process.exit(0)));
