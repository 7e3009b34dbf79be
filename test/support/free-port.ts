export { freePort } from '../../src/infra/net/free-port';
