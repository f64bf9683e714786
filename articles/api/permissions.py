"""Who may write: editors, i.e. users holding the Django model permission for the action.

Anyone may read. Anonymous writes get 401 (token authentication asks for credentials),
authenticated users without the permission 403.
"""

from __future__ import annotations

from rest_framework.permissions import SAFE_METHODS, BasePermission, DjangoModelPermissions


class EditorModelPermissions(DjangoModelPermissions):
    """Reads for everyone; POST needs ``add``, PUT/PATCH ``change``, DELETE ``delete``."""

    authenticated_users_only = False
    public_reads = True  # the schema declares the reads anonymous (nato_tracker.api.schema)

    def has_permission(self, request, view) -> bool:
        if request.method in SAFE_METHODS:
            return True
        if not (request.user and request.user.is_authenticated):
            return False
        return super().has_permission(request, view)


class CanChangeStatement(BasePermission):
    """Correcting a statement (its speaker) needs ``articles.change_statement``."""

    permission = "articles.change_statement"
    public_reads = True

    def has_permission(self, request, view) -> bool:
        if request.method in SAFE_METHODS:
            return True
        user = request.user
        return bool(user and user.is_authenticated and user.has_perm(self.permission))
