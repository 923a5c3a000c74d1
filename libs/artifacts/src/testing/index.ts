export { startS3TestServer, S3RVER_CREDENTIALS } from './s3-test-server';
export type { S3TestServer } from './s3-test-server';
