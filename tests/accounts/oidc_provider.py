"""A small OpenID Connect provider for the single sign-on tests, run in its own process on 127.0.0.1.

Standards-compliant where the tests need it: discovery, the authorisation code flow with PKCE (S256),
RS256 ID tokens with the nonce the client sent, a JWKS, userinfo and an end-session endpoint. It
signs in whoever the test names (POST /test/next with the claims), without a login page, and can
be told to misbehave the ways a real attacker or a broken provider would: sign with another key,
name another issuer, hand out an expired token, or repeat the nonce of an earlier sign-in.

    python tests/accounts/oidc_provider.py   # prints "listening on http://127.0.0.1:PORT", then serves
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
IMPOSTOR = rsa.generate_private_key(public_exponent=65537, key_size=2048)
KID = "test-key-1"
CLIENT_ID = "send-tracker-test"
CLIENT_SECRET = "test-client-secret"  # noqa: S105 - a test provider's own secret


class Provider:
    """What the provider remembers: codes handed out, the next sign-in's claims and misbehaviour, and
    what happened (for the tests to read at GET /test/log)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.codes: dict[str, dict[str, Any]] = {}
        self.tokens: dict[str, dict[str, Any]] = {}
        self.next: dict[str, Any] = {"claims": {}, "mode": "ok"}
        self.nonces: list[str] = []
        self.log: list[dict[str, Any]] = []


STATE = Provider()


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class Handler(BaseHTTPRequestHandler):
    server_version = "TestOIDC/1"

    @property
    def issuer(self) -> str:
        return ISSUER

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def send_json(self, body: Any, status: int = 200) -> None:
        payload = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def redirect(self, location: str) -> None:
        self.send_response(302)
        self.send_header("Location", location)
        self.end_headers()

    def form(self) -> dict[str, str]:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length).decode()
        if self.headers.get("Content-Type", "").startswith("application/json"):
            return json.loads(raw or "{}")
        return {key: values[0] for key, values in parse_qs(raw).items()}

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        query = {key: values[0] for key, values in parse_qs(url.query).items()}
        if url.path == "/.well-known/openid-configuration":
            self.send_json(
                {
                    "issuer": self.issuer,
                    "authorization_endpoint": f"{self.issuer}/authorize",
                    "token_endpoint": f"{self.issuer}/token",
                    "userinfo_endpoint": f"{self.issuer}/userinfo",
                    "jwks_uri": f"{self.issuer}/jwks",
                    "end_session_endpoint": f"{self.issuer}/logout",
                    "response_types_supported": ["code"],
                    "subject_types_supported": ["public"],
                    "id_token_signing_alg_values_supported": ["RS256"],
                    "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
                    "code_challenge_methods_supported": ["S256"],
                    "scopes_supported": ["openid", "profile", "email"],
                }
            )
        elif url.path == "/jwks":
            jwk = json.loads(RSAAlgorithm.to_jwk(KEY.public_key()))
            self.send_json({"keys": [{**jwk, "kid": KID, "use": "sig", "alg": "RS256"}]})
        elif url.path == "/authorize":
            self.authorize(query)
        elif url.path == "/userinfo":
            token = self.headers.get("Authorization", "").removeprefix("Bearer ")
            with STATE.lock:
                claims = STATE.tokens.get(token)
            self.send_json(claims if claims else {"error": "invalid_token"}, 200 if claims else 401)
        elif url.path == "/logout":
            with STATE.lock:
                STATE.log.append({"event": "end_session", **query})
            self.redirect(query.get("post_logout_redirect_uri") or "/")
        elif url.path == "/test/log":
            with STATE.lock:
                self.send_json(STATE.log)
        else:
            self.send_json({"error": "not_found"}, 404)

    def authorize(self, query: dict[str, str]) -> None:
        with STATE.lock:
            STATE.log.append({"event": "authorize", **query})
            if query.get("client_id") != CLIENT_ID or query.get("response_type") != "code":
                self.send_json({"error": "invalid_request"}, 400)
                return
            code = secrets.token_urlsafe(16)
            STATE.codes[code] = {
                "nonce": query.get("nonce", ""),
                "code_challenge": query.get("code_challenge", ""),
                "redirect_uri": query.get("redirect_uri", ""),
                **STATE.next,
            }
            STATE.nonces.append(query.get("nonce", ""))
        self.redirect(f"{query['redirect_uri']}?{urlencode({'code': code, 'state': query.get('state', '')})}")

    def do_POST(self) -> None:
        url = urlsplit(self.path)
        if url.path == "/test/next":
            with STATE.lock:
                STATE.next = self.form()
            self.send_json({"ok": True})
        elif url.path == "/token":
            self.token(self.form())
        else:
            self.send_json({"error": "not_found"}, 404)

    def token(self, form: dict[str, str]) -> None:
        client_id, secret = form.get("client_id"), form.get("client_secret")
        if self.headers.get("Authorization", "").startswith("Basic "):
            client_id, _, secret = base64.b64decode(self.headers["Authorization"][6:]).decode().partition(":")
        with STATE.lock:
            grant = STATE.codes.pop(form.get("code", ""), None)
            STATE.log.append({"event": "token", "code_verifier": bool(form.get("code_verifier"))})
        if client_id != CLIENT_ID or secret != CLIENT_SECRET or grant is None:
            self.send_json({"error": "invalid_grant"}, 400)
            return
        challenge = b64url(hashlib.sha256(form.get("code_verifier", "").encode()).digest())
        if not grant["code_challenge"] or challenge != grant["code_challenge"]:
            self.send_json({"error": "invalid_grant", "error_description": "PKCE verification failed"}, 400)
            return
        if grant.get("redirect_uri") != form.get("redirect_uri"):
            self.send_json({"error": "invalid_grant"}, 400)
            return
        access_token = secrets.token_urlsafe(24)
        claims = {"sub": "subject-" + grant["claims"].get("email", "none"), **grant["claims"]}
        with STATE.lock:
            STATE.tokens[access_token] = claims
        self.send_json(
            {
                "access_token": access_token,
                "token_type": "Bearer",
                "expires_in": 300,
                "id_token": self.id_token(grant, claims),
            }
        )

    def id_token(self, grant: dict[str, Any], claims: dict[str, Any]) -> str:
        now = int(time.time())
        mode = grant.get("mode", "ok")
        nonce = grant["nonce"]
        if mode == "replay_nonce":
            with STATE.lock:
                earlier = [n for n in STATE.nonces if n != nonce]
            nonce = earlier[-1] if earlier else "never-sent"
        body = {
            **claims,
            "iss": f"{self.issuer}/another" if mode == "other_issuer" else self.issuer,
            "aud": CLIENT_ID,
            "iat": now - 900 if mode == "expired" else now,
            "exp": now - 600 if mode == "expired" else now + 300,
            "nonce": nonce,
        }
        key = IMPOSTOR if mode == "bad_signature" else KEY
        return jwt.encode(body, key, algorithm="RS256", headers={"kid": KID})


ISSUER = ""


def main() -> None:
    global ISSUER
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    ISSUER = f"http://127.0.0.1:{server.server_port}"
    print(f"listening on {ISSUER}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
