from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class RulesConfig(AppConfig):
    name = "thidua.rules"
    label = "rules"
    verbose_name = _("Quy định khen thưởng")

    def ready(self) -> None:
        from thidua.rules.services import catalog_sync_after_migrate

        # The shipped award catalog is loaded into the database after every migrate (new codes only:
        # an admin's edits to names or artifacts are kept).
        post_migrate.connect(catalog_sync_after_migrate, sender=self)
