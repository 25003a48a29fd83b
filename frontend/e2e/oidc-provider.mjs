// A real OpenID Connect provider for the e2e run: oauth2-mock-server (discovery, JWKS, RS256-signed
// tokens, authorization code with PKCE checking, end-session). Its /authorize approves at once, so
// the browser's login is: dashboard → /authorize → back with ?code → token exchange.
import { OAuth2Server } from 'oauth2-mock-server';

/**
 * Starts the provider on 127.0.0.1. Tokens it issues through the browser login belong to the user set
 * with `signInAs`; access tokens carry `audience`, id tokens keep the client id the library asked with.
 */
export async function startOidcProvider({ audience, clientId }) {
  const server = new OAuth2Server();
  await server.issuer.keys.generate('RS256');
  await server.start(0, '127.0.0.1');
  const issuer = `http://127.0.0.1:${server.address().port}`;
  server.issuer.url = issuer;

  let subject = { sub: 'nobody', roles: ['user'] };
  server.service.on('beforeTokenSigning', (token) => {
    if (token.payload.aud !== clientId) token.payload.aud = audience;
    token.payload.sub = subject.sub;
    token.payload.roles = subject.roles;
  });

  return {
    issuer,
    clientId,
    audience,
    /** Who the next browser login is. */
    signInAs(sub, roles) {
      subject = { sub, roles };
    },
    /** A signed access token for scripts (e.g. to seed another user's store). */
    tokenFor(sub, roles) {
      return server.issuer.buildToken({
        scopesOrTransform: (_header, payload) => Object.assign(payload, { sub, roles, aud: audience }),
      });
    },
    stop: () => server.stop(),
  };
}
