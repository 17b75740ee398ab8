// A frontend signing in at the provider of provider.mjs: the authorization-code grant with PKCE for the
// public client `frontend`, as a browser would follow it (cookies kept, redirects followed by hand), for
// the person `node sign-in.mjs <issuer> <login> [scope]` names. Prints the access token.
import { createHash, randomBytes } from 'node:crypto';

const [issuer, login, scope = 'openid kartla:edit'] = process.argv.slice(2);
const redirectUri = 'http://127.0.0.1/callback';
const verifier = randomBytes(32).toString('base64url');
const challenge = createHash('sha256').update(verifier).digest('base64url');
const cookies = new Map();

let url = `${issuer}/auth?${new URLSearchParams({
  client_id: 'frontend', response_type: 'code', redirect_uri: redirectUri, scope,
  code_challenge: challenge, code_challenge_method: 'S256', login_hint: login,
  resource: 'https://kartla.test', state: randomBytes(8).toString('hex'),
})}`;
let code;
for (let step = 0; step < 20 && !code; step += 1) {
  const cookie = [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const response = await fetch(url, { redirect: 'manual', headers: cookie ? { cookie } : {} });
  for (const line of response.headers.getSetCookie()) {
    const [pair] = line.split(';');
    const at = pair.indexOf('=');
    cookies.set(pair.slice(0, at), pair.slice(at + 1));
  }
  const location = response.headers.get('location');
  if (!location) throw new Error(`${url} answered ${response.status} without a redirect: ${await response.text()}`);
  url = new URL(location, url).toString();
  if (url.startsWith(redirectUri)) {
    const params = new URL(url).searchParams;
    if (!params.get('code')) throw new Error(`no code: ${url}`);
    code = params.get('code');
  }
}
const answer = await fetch(`${issuer}/token`, {
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams({
    grant_type: 'authorization_code', code, redirect_uri: redirectUri, client_id: 'frontend',
    code_verifier: verifier, resource: 'https://kartla.test',
  }),
});
const tokens = await answer.json();
if (!tokens.access_token) throw new Error(`no access token: ${JSON.stringify(tokens)}`);
console.log(tokens.access_token);
