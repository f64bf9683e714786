"""``/api/v1/auth/token/``: get a token (anonymous, 429 while a sign-in is locked out), rotate
it, revoke it. The rules are in :mod:`nato_tracker.api.tokens`."""

from __future__ import annotations

from django.conf import settings
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from nato_tracker.api.parsers import StrictFormParser, StrictJSONParser, StrictMultiPartParser
from nato_tracker.api.schema import error_responses
from nato_tracker.api.tokens import expires_at, issue_token, revoke_token, rotate_token


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Send it as `Authorization: Token <token>`.")
    expires = serializers.DateTimeField(
        allow_null=True,
        help_text="When the token stops working (API_TOKEN_LIFETIME_DAYS after it was issued); "
        "null when tokens do not expire.",
    )


def token_data(token) -> dict:
    return TokenSerializer({"token": token.key, "expires": expires_at(token)}).data


class LoginLockedOut(exceptions.Throttled):
    """429 while django-axes has locked out this username from this address."""

    default_detail = "Too many failed sign-ins for this username from this address."


def cool_off_seconds() -> int | None:
    cool_off = getattr(settings, "AXES_COOLOFF_TIME", None)
    return int(cool_off.total_seconds()) if cool_off else None


class TokenView(APIView):
    """POST: username and password → the user's token; DELETE: revoke the token in use."""

    renderer_classes = [JSONRenderer]
    # JSON as documented; form-encoded bodies (``curl -d``) are accepted too.
    parser_classes = [StrictJSONParser, StrictFormParser, StrictMultiPartParser]
    throttle_classes: list = []

    def get_permissions(self):
        return [IsAuthenticated()] if self.request.method == "DELETE" else []

    def perform_authentication(self, request):
        if request.method == "DELETE":
            super().perform_authentication(request)

    @extend_schema(
        summary="Get a token for scripts (username and password)",
        description="Anonymous. Answers the user's current token while it is valid, else a new "
        "one. After AXES_FAILURE_LIMIT failed sign-ins for one username from one address, "
        "every attempt (even with the right password) is a 429 until the cool-off has passed.",
        request={"application/json": AuthTokenSerializer},
        responses={200: TokenSerializer, **error_responses(400, 429)},
        auth=[],
    )
    def post(self, request, *args, **kwargs):
        serializer = AuthTokenSerializer(data=request.data, context={"request": request})
        if not serializer.is_valid():
            if getattr(request, "axes_locked_out", False):
                raise LoginLockedOut(wait=cool_off_seconds())
            raise exceptions.ValidationError(serializer.errors)
        return Response(token_data(issue_token(serializer.validated_data["user"])))

    @extend_schema(
        summary="Revoke the token (or the session user's token)",
        description="The token stops working at once; sign in again for a new one.",
        request=None,
        responses={204: None, **error_responses(401)},
    )
    def delete(self, request, *args, **kwargs):
        revoke_token(request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class TokenRotateView(APIView):
    """A new token for the signed-in user; the old one stops working at once."""

    renderer_classes = [JSONRenderer]
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Rotate the token: a new key, the old one stops working",
        request=None,
        responses={200: TokenSerializer, **error_responses(401)},
    )
    def post(self, request, *args, **kwargs):
        return Response(token_data(rotate_token(request.user)))
