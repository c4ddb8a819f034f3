"""A complaint submitted end to end in a real headless Chromium (issue 5 item 8, the complaint half):
the form with a mistake and an attachment, the acknowledgement, the status page; at phone width,
with every field labelled."""

from disclosure.models import Complaint
from tests.disclosure.complaint_factories import PNG, VALID_PHONE

UNLABELLED = """() => [...document.querySelectorAll('input, select, textarea')]
  .filter(el => el.type !== 'hidden' && !el.closest('[aria-hidden="true"]'))
  .filter(el => !(el.labels && el.labels.length))
  .map(el => el.name)"""


def test_a_complaint_submitted_end_to_end_at_phone_width(transactional_db, world, live_server, browser, tmp_path):
    photo = tmp_path / "现场照片.png"
    photo.write_bytes(PNG)
    page = browser.new_page(viewport={"width": 375, "height": 800}, locale="zh-CN")
    page.goto(f"{live_server.url}/public/complaints/")  # where the public navigation links
    assert page.url.endswith("/public/complaints/new/")
    assert page.evaluate(UNLABELLED) == []
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    page.check("#id_kind_1")  # 举报
    page.fill("#id_subject_name", "任城区某某超市")
    page.select_option("#id_region", str(world.agency.region_id))
    page.select_option("#id_sector", "market")
    page.fill("#id_title", "销售过期食品")
    page.fill("#id_content", "牛奶已过保质期三天。")
    page.fill("#id_complainant_name", "张三")
    page.fill("#id_complainant_phone", "12")  # wrong
    page.set_input_files("#id_files", str(photo))
    page.click("#complaint-form button[type=submit]")

    assert page.is_visible("#id_complainant_phone_errors")
    assert page.input_value("#id_title") == "销售过期食品"  # nothing typed is lost
    assert page.is_visible("#files-dropped")  # … except the file, and the page says so
    assert not Complaint.objects.exists()

    page.fill("#id_complainant_phone", VALID_PHONE)
    page.set_input_files("#id_files", str(photo))
    page.click("#complaint-form button[type=submit]")
    page.wait_for_selector("#tracking-code")
    code = page.inner_text("#tracking-code")
    complaint = Complaint.objects.get()
    assert code.replace("-", "") == complaint.tracking_code
    assert complaint.attachments.get().original_name == "现场照片.png"
    assert complaint.agency == world.agency

    page.goto(f"{live_server.url}/public/complaints/track/")
    page.fill("#id_code", code.lower())
    page.click("main form button[type=submit]")
    page.wait_for_selector("#status")
    status = page.inner_text("main")
    assert "已接收" in status and world.agency.name in status
    assert "张三" not in status and VALID_PHONE not in status
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
