import pytest
from django.core.exceptions import ValidationError

from lawenforce.models import Region, RegionLevel
from tests.factories import RegionFactory

pytestmark = pytest.mark.django_db


def test_subtree_is_the_region_and_everything_below_in_one_query(regions, django_assert_num_queries):
    with django_assert_num_queries(1):
        codes = set(Region.objects.subtree(regions["city"]).values_list("code", flat=True))
    assert codes == {"370800", "370811", "370812", "370811011"}


def test_subtree_of_a_county_does_not_reach_a_sibling(regions):
    codes = set(Region.objects.subtree(regions["county"]).values_list("code", flat=True))
    assert codes == {"370811", "370811011"}


def test_path_follows_the_codes_of_the_ancestors(regions):
    assert regions["township"].path == "370000/370800/370811/370811011/"


def test_moving_a_region_rewrites_the_paths_below_it(regions):
    county = regions["county"]
    county.parent = regions["other_city"]
    county.save()
    township = Region.objects.get(code="370811011")
    assert township.path == "370000/371700/370811/370811011/"
    assert "370811011" in Region.objects.subtree(regions["other_city"]).values_list("code", flat=True)
    assert "370811011" not in Region.objects.subtree(regions["city"]).values_list("code", flat=True)


def test_a_county_must_hang_under_a_city(regions):
    bad = Region(code="370899", name="错挂县", level=RegionLevel.COUNTY, parent=regions["province"])
    with pytest.raises(ValidationError) as exc:
        bad.full_clean()
    assert "上级区划的层级不对" in str(exc.value)


def test_township_codes_have_nine_digits(regions):
    bad = Region(code="370811", name="短代码街道", level=RegionLevel.TOWNSHIP, parent=regions["county"])
    with pytest.raises(ValidationError) as exc:
        bad.full_clean()
    assert "9 位" in str(exc.value)


def test_a_province_has_no_parent(regions):
    bad = RegionFactory.build(code="320000", name="江苏省", level=RegionLevel.PROVINCE, parent=regions["province"])
    with pytest.raises(ValidationError) as exc:
        bad.full_clean()
    assert "省级区划没有上级区划" in str(exc.value)


def test_full_name_reads_from_province_down(regions):
    assert regions["township"].full_name == "山东省济宁市任城区古槐街道"
