#!/usr/bin/env node
// A real OpenID Connect issuer for the API tests: npm "oauth2-mock-server" (discovery, JWKS, token endpoints) on a
// free loopback port, plus a small control endpoint on another port that mints tokens with the claims a test asks
// for, so the API's JWT validation is exercised against real keys, metadata and signatures.
//
//   node mock-oidc.mjs <path to oauth2-mock-server's dist/index.mjs>
// prints one JSON line {"issuer": "...", "control": "..."} and serves until stdin closes or it is killed.
//
//   GET {control}/token?claims=<url-encoded JSON>&expiresIn=<seconds, may be negative>&tamper=1
// answers the signed JWT as text: the claims are merged over the mock's defaults (iss, aud, sub, iat, exp, ...);
// tamper=1 flips a character of the signature.
import http from 'node:http';
import { pathToFileURL } from 'node:url';

const { OAuth2Server } = await import(pathToFileURL(process.argv[2]).href);
const server = new OAuth2Server();
await server.issuer.keys.generate('RS256');
await server.start(0, '127.0.0.1');

const control = http.createServer(async (req, res) => {
  try {
    const url = new URL(req.url, 'http://127.0.0.1');
    if (url.pathname !== '/token') {
      res.writeHead(404).end();
      return;
    }
    const claims = JSON.parse(url.searchParams.get('claims') ?? '{}');
    const expiresIn = Number(url.searchParams.get('expiresIn') ?? '3600');
    let token = await server.issuer.buildToken({
      expiresIn,
      scopesOrTransform: (_header, payload) => Object.assign(payload, claims),
    });
    if (url.searchParams.get('tamper') === '1') {
      const last = token.at(-2) === 'A' ? 'B' : 'A';
      token = token.slice(0, -2) + last + token.at(-1);
    }
    res.writeHead(200, { 'content-type': 'text/plain' }).end(token);
  } catch (err) {
    res.writeHead(500, { 'content-type': 'text/plain' }).end(String(err?.stack ?? err));
  }
});
await new Promise((resolve) => control.listen(0, '127.0.0.1', resolve));

console.log(JSON.stringify({ issuer: server.issuer.url, control: `http://127.0.0.1:${control.address().port}` }));

const stop = async () => {
  control.close();
  await server.stop();
  process.exit(0);
};
process.stdin.on('end', stop);
process.stdin.resume();
process.on('SIGTERM', stop);
