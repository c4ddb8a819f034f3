"""zh-Hans first: the language is Chinese unless the user chose another with the switcher.

Django's LocaleMiddleware would follow the browser's Accept-Language, so an officer on an
English-language browser would get English pages they never asked for. Here only an explicit
choice (the language cookie set by /i18n/setlang/) changes the language.
"""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ChineseFirstLocaleMiddleware(LocaleMiddleware):
    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
