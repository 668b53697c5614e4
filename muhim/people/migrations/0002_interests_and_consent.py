"""What the sign-up form offers on a fresh installation: interests, and the first consent
wording (version 2026-11). Later wordings are added as new versions, never edited in place."""

from django.db import migrations

INTERESTS = [
    ("events", "Events and gatherings", "تقریبات اور اجتماعات"),
    ("media", "Media and press", "میڈیا اور پریس"),
    ("social-media", "Social media", "سوشل میڈیا"),
    ("data", "Data and research", "ڈیٹا اور تحقیق"),
    ("school-monitoring", "School monitoring", "اسکولوں کی نگرانی"),
    ("parents", "Organising parents", "والدین کو منظم کرنا"),
    ("teaching", "Teaching and tutoring", "تدریس اور ٹیوشن"),
    ("outreach", "Door-to-door outreach", "گھر گھر رابطہ"),
]

CONSENT_TEXT = (
    "I agree that the campaign may keep my name, mobile number, e-mail and district, and may "
    "contact me by phone, SMS, WhatsApp or e-mail about its work. My details are seen only by "
    "the campaign's organiser for my region and its office, are never sold or published, and are "
    "deleted if I ask."
)
CONSENT_TEXT_UR = (
    "میں اتفاق کرتا/کرتی ہوں کہ مہم میرا نام، موبائل نمبر، ای میل اور ضلع محفوظ رکھ سکتی ہے اور اپنے کام "
    "کے بارے میں مجھ سے فون، ایس ایم ایس، واٹس ایپ یا ای میل کے ذریعے رابطہ کر سکتی ہے۔ میری معلومات صرف "
    "میرے علاقے کے آرگنائزر اور مہم کے دفتر کو نظر آتی ہیں، کبھی فروخت یا شائع نہیں کی جاتیں، اور میرے کہنے "
    "پر مٹا دی جاتی ہیں۔"
)


def seed(apps, schema_editor):
    Interest = apps.get_model("people", "Interest")
    ConsentText = apps.get_model("people", "ConsentText")
    for order, (code, name, name_ur) in enumerate(INTERESTS):
        Interest.objects.get_or_create(code=code, defaults={"name": name, "name_ur": name_ur, "order": order})
    if not ConsentText.objects.exists():
        ConsentText.objects.create(version="2026-11", text=CONSENT_TEXT, text_ur=CONSENT_TEXT_UR, is_current=True)


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
