"""Sign-in with the company's identity provider: OIDC / OAuth 2.0 JWT access tokens.

`JWTVerifier` is the MCP SDK's `TokenVerifier` for JWTs: PyJWT checks the
signature against the issuer's JWKS (fetched with PyJWT's `PyJWKClient`,
cached, and fetched again when a token names a key id it has not seen: the
provider rotated its keys), and the issuer, audience, expiry and not-before
claims; Relay then checks the allowed domain (`hd`, or the e-mail's domain)
and allowed groups. Nothing here parses or verifies a signature by hand.

The user's e-mail (else `sub`) becomes the `AccessToken.subject`, which is
what usage and the audit trail record; the token's groups decide which
restricted items the caller may see (registry/audience.py).
"""

from __future__ import annotations

import json
import logging
import urllib.request
from typing import Any

import anyio.to_thread
import jwt
from mcp.server.auth.provider import AccessToken

from registry.errors import ConfigError

from .options import OIDCSettings

log = logging.getLogger("relay.auth")
# Asymmetric algorithms only: a JWKS holds public keys, and "none" or HMAC would let anyone sign.
ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"]


def discover_jwks_url(issuer: str, timeout: float = 10.0) -> str:
    """The issuer's `jwks_uri` from its OpenID discovery document."""
    url = issuer.rstrip("/") + "/.well-known/openid-configuration"
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            document = json.loads(response.read())
        return str(document["jwks_uri"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ConfigError(f"{url}: cannot read the issuer's jwks_uri ({exc}); pass --oidc-jwks-url") from None


class JWTVerifier:
    """Verifies signed JWTs from one issuer; returns None (so: 401) for anything else."""

    def __init__(self, settings: OIDCSettings) -> None:
        settings.check()
        self.settings = settings
        self.domains = {d.lower().lstrip("@") for d in settings.domains}
        self.groups = {g.lower() for g in settings.groups}
        jwks_url = settings.jwks_url or discover_jwks_url(settings.issuer)
        self.jwks = jwt.PyJWKClient(jwks_url, cache_keys=True, lifespan=300, timeout=10,
                                    cooldown_duration=settings.jwks_cooldown)

    async def verify_token(self, token: str) -> AccessToken | None:
        if token.count(".") != 2:
            return None  # not a JWS compact token (a static token, or garbage)
        try:
            claims = await anyio.to_thread.run_sync(self._decode, token)
        except (jwt.PyJWTError, ValueError) as exc:
            log.info("refused a JWT: %s", exc)  # the reason, never the token
            return None
        reason = self._refusal(claims)
        if reason:
            log.info("refused a JWT for %s: %s", claims.get("email") or claims.get("sub"), reason)
            return None
        user = str(claims.get("email") or claims["sub"])
        return AccessToken(token=token, client_id=str(claims.get("azp") or claims.get("client_id") or user),
                           scopes=str(claims.get("scope", "")).split(), expires_at=int(claims["exp"]),
                           subject=user, claims={"iss": claims["iss"], "groups": self._groups(claims)})

    def _decode(self, token: str) -> dict[str, Any]:
        """Signature, algorithm, issuer, audience, exp, nbf and iat, all by PyJWT."""
        header = jwt.get_unverified_header(token)
        if header.get("alg") not in ALGORITHMS:
            raise jwt.InvalidAlgorithmError(f"algorithm {header.get('alg')!r} is not accepted")
        key = self.jwks.get_signing_key_from_jwt(token)
        return jwt.decode(token, key, algorithms=ALGORITHMS, audience=self.settings.audience,
                          issuer=self.settings.issuer, leeway=self.settings.leeway,
                          options={"require": ["exp", "iss", "aud", "sub"]})

    def _groups(self, claims: dict[str, Any]) -> list[str]:
        raw = claims.get(self.settings.groups_claim) or []
        return [str(g) for g in raw] if isinstance(raw, list) else [str(raw)]

    def _refusal(self, claims: dict[str, Any]) -> str:
        """Why a validly signed token is still refused ('' when it is not)."""
        if self.domains:
            email = str(claims.get("email", ""))
            domain = str(claims.get("hd") or email.rpartition("@")[2]).lower()
            if domain not in self.domains:
                return f"domain {domain or '(none)'!r} is not allowed"
            if email and claims.get("email_verified") is False:
                return "the e-mail address is not verified"
        if self.groups and not self.groups & {g.lower() for g in self._groups(claims)}:
            return "not in an allowed group"
        return ""


class ChainVerifier:
    """Tries each verifier in turn: static tokens (cheap hash lookup) first, then JWTs."""

    def __init__(self, *verifiers: Any) -> None:
        self.verifiers = [v for v in verifiers if v is not None]

    @property
    def error(self) -> str:
        """Why a verifier refuses every token now (a tokens file that does not parse), or ""."""
        return "; ".join(e for v in self.verifiers if (e := getattr(v, "error", "")))

    async def verify_token(self, token: str) -> AccessToken | None:
        for verifier in self.verifiers:
            found = await verifier.verify_token(token)
            if found is not None:
                return found
        return None
