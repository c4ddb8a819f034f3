"""factory_boy factories for the core vocabulary. Tests build their data here, not by hand."""

import datetime

import factory
from django.contrib.auth import get_user_model

from lawenforce.models import (
    ActionCategory,
    Agency,
    AgencyKind,
    Certificate,
    CertificateStatus,
    EnforcementCategory,
    Law,
    LawLevel,
    LegalProvision,
    Officer,
    PowerItem,
    Region,
    RegionLevel,
    Sector,
)
from lawenforce.validators import uscc_check_char

PASSWORD = "Test@Passw0rd!"


def make_uscc(n):
    """A valid USCC for sequence number n (check character computed)."""
    first17 = f"1137{n % 10000:04d}00{n:07d}"[:17]
    first17 = first17.ljust(17, "0")
    return first17 + uscc_check_char(first17)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"{11 + n % 80:02d}0000")
    name = factory.Sequence(lambda n: f"测试省{n}")
    level = RegionLevel.PROVINCE
    parent = None


def region_tree():
    """province 37 → city 3708 → counties 370811, 370812 → township 370811011; and city 3717."""
    province = RegionFactory(code="370000", name="山东省", level=RegionLevel.PROVINCE)
    city = RegionFactory(code="370800", name="济宁市", level=RegionLevel.CITY, parent=province)
    other_city = RegionFactory(code="371700", name="菏泽市", level=RegionLevel.CITY, parent=province)
    county = RegionFactory(code="370811", name="任城区", level=RegionLevel.COUNTY, parent=city)
    county2 = RegionFactory(code="370812", name="兖州区", level=RegionLevel.COUNTY, parent=city)
    township = RegionFactory(code="370811011", name="古槐街道", level=RegionLevel.TOWNSHIP, parent=county)
    return {
        "province": province,
        "city": city,
        "other_city": other_city,
        "county": county,
        "county2": county2,
        "township": township,
    }


class EnforcementCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EnforcementCategory
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"cat{n}")
    name = factory.Sequence(lambda n: f"执法类别{n}")


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    name = factory.Sequence(lambda n: f"测试市场监督管理局{n}")
    short_name = factory.Sequence(lambda n: f"测监{n}")
    uscc = factory.Sequence(make_uscc)
    region = factory.SubFactory(RegionFactory)
    kind = AgencyKind.STATUTORY
    sector = Sector.MARKET
    legal_review_unit = "法规科"
    address = "测试路1号"
    complaint_phone = "12315"


class OfficerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Officer

    user = factory.SubFactory(UserFactory)
    agency = factory.SubFactory(AgencyFactory)
    name = factory.Sequence(lambda n: f"执法员{n}")


class CertificateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Certificate
        skip_postgeneration_save = True

    officer = factory.SubFactory(OfficerFactory)
    number = factory.Sequence(lambda n: f"37080000{n:06d}")
    issuer = "山东省人民政府"
    valid_from = datetime.date(2024, 1, 1)
    valid_to = datetime.date(2029, 12, 31)
    status = CertificateStatus.VALID

    @factory.post_generation
    def categories(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.categories.set(extracted)


class LawFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Law
        django_get_or_create = ("name",)

    name = "中华人民共和国行政处罚法"
    level = LawLevel.LAW


class LegalProvisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LegalProvision

    law = factory.SubFactory(LawFactory)
    article = factory.Sequence(lambda n: n + 1)
    text = "条文内容。"


class PowerItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PowerItem
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"CF-{n:05d}")
    name = factory.Sequence(lambda n: f"对违法行为{n}的行政处罚")
    action_category = ActionCategory.PENALTY
    enforcement_category = factory.SubFactory(EnforcementCategoryFactory)

    @factory.post_generation
    def agencies(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.agencies.set(extracted)
