/** Entry point for tests: `import { startFakeSlack, postEvent, ... } from '../fakes/slack/index.js'`. */
export { FakeSlack, startFakeSlack, type RecordedCall, type ScriptedFailure } from './fake-slack.js';
export type { FakeChannel, FakeSlackConfig, FakeSlackOptions, FakeUser } from './config.js';
export {
  boltEventsUrl,
  nowSeconds,
  postEvent,
  postInteraction,
  postSignedRaw,
  postSlashCommand,
  postUrlVerification,
  sign,
  type PostResult,
  type SignedPostOptions,
} from './http-client.js';
export type { RecordedUpload } from './file-uploads.js';
export { createPayloadBuilders } from './payloads.js';
export type * from './payloads.js';
export { createQuietLogger, type LogEntry, type RecordingLogger } from './quiet-logger.js';
export type { RecordedResponse } from './response-sink.js';
export { signal, type Signal } from './signal.js';
export type { EnvelopeOptions, EnvelopeType, SocketAck, SocketConnection, SocketEnvelope } from './socket-mode-server.js';
export type { MethodHandler, WebApiBody, WebApiCall } from './web-api-methods.js';
export type { StoredMessage, StoredView } from './workspace.js';
