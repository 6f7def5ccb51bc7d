from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = __package__ or "accounts"
    label = "accounts"
    verbose_name = "Accounts"
