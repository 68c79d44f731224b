/**
 * The server's connection: its transport (`--stdio`, `--node-ipc`, `--socket=N`) and the
 * gate every incoming message passes before vscode-languageserver sees it.
 *
 * Framing errors on a byte stream (a header without Content-Length, a length that is not a
 * number or larger than the body, a body that is not JSON) end the process with the reason on
 * stderr. vscode-jsonrpc
 * reports them on an error event nobody listens to and goes on reading from where it
 * stopped, desynchronised: every later message is lost and the server sits deaf until stdin
 * closes. Resynchronising on the next `Content-Length` would hide the message lost with the
 * garbage, and a lost didChange leaves every later edit applied to the wrong text; a restart
 * by the client (which re-opens its documents) is the honest recovery.
 */
import {
	createConnection,
	createServerSocketTransport,
	ErrorCodes,
	IPCMessageReader,
	IPCMessageWriter,
	Message,
	ProposedFeatures,
	StreamMessageReader,
	StreamMessageWriter,
	type Connection,
	type MessageReader,
	type MessageWriter,
	type RequestMessage,
} from 'vscode-languageserver/node';

/** The connection for this process's command line; exits when the client goes away or the stream breaks. */
export function createServerConnection(argv: readonly string[] = process.argv.slice(2)): Connection {
	const [reader, writer] = transport(argv);
	let shutdown = false;
	const broken = (reason: string) => {
		process.stderr.write(`kmm: the LSP input stream is broken (${reason}); exiting so that the client restarts the server\n`);
		process.exit(1);
	};
	reader.onError((err) => broken(err.message.split('\n')[0]));
	// A Content-Length beyond the body swallows the messages after it: no client pauses in
	// the middle of a message, so a message still incomplete after 10 s of silence is one.
	reader.onPartialMessage((info) => broken(`a message is still incomplete after ${Math.round(info.waitingTime / 1000)} s without data`));
	reader.onClose(() => process.exit(shutdown ? 0 : 1));
	return createConnection(ProposedFeatures.all, gate(reader, writer, () => (shutdown = true)), writer);
}

/**
 * The messages as read, checked before the library's connection sees them. A message that
 * was read whole but fails in the library's own handling (a `$/cancelRequest` without an id)
 * is logged and dropped: the stream is still in step, so it is no reason to exit.
 */
function gate(reader: MessageReader, writer: MessageWriter, onShutdown: () => void): MessageReader {
	let initialized = false;
	const reject = (request: RequestMessage, code: number, message: string) =>
		void writer.write({ jsonrpc: '2.0', id: request.id, error: { code, message } } as Message);
	return {
		onError: reader.onError,
		onClose: reader.onClose,
		onPartialMessage: reader.onPartialMessage,
		dispose: () => reader.dispose(),
		listen: (callback) =>
			reader.listen((message) => {
				try {
					if (Message.isRequest(message)) {
						if (message.method === 'shutdown') onShutdown();
						if (message.method === 'initialize') {
							// A second initialize would re-run the library's setup (a parent-process
							// watchdog on its processId) and ours: answered here, it changes nothing.
							if (initialized) return reject(message, ErrorCodes.InvalidRequest, 'the server is already initialized');
							initialized = true;
						}
					}
					// JSON-RPC allows no null params; the library's wrappers read them before any
					// handler could. Taken as absent, they meet the handlers' param readers.
					if ((message as { params?: unknown } | null)?.params === null) delete (message as { params?: unknown }).params;
					callback(message);
				} catch (err) {
					const method = (message as { method?: unknown } | null)?.method;
					process.stderr.write(`kmm: a message${typeof method === 'string' ? ` (${method})` : ''} could not be handled: ${err instanceof Error ? err.message : String(err)}; ignored\n`);
				}
			}),
	};
}

function transport(argv: readonly string[]): [MessageReader, MessageWriter] {	if (argv.includes('--node-ipc')) return [new IPCMessageReader(process), new IPCMessageWriter(process)];
	const socket = argv.find((a) => a.startsWith('--socket'));
	if (socket) {
		const port = Number(socket.includes('=') ? socket.split('=')[1] : argv[argv.indexOf(socket) + 1]);
		return createServerSocketTransport(port);
	}
	if (!argv.includes('--stdio')) throw new Error('kmm lsp needs a transport: --stdio, --node-ipc or --socket=PORT');
	// stdout carries the protocol: a stray console.log from any library would corrupt it.
	console.log = console.info = console.debug = console.error;
	return [new StreamMessageReader(process.stdin), new StreamMessageWriter(process.stdout)];
}
