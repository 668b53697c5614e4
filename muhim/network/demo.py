"""The demo network, shaped like the campaign's own: 31 Regional Campaign Organiser posts (11 in
Punjab, 8 in Sindh, 7 in Khyber Pakhtunkhwa, 5 in Balochistan) covering every division, and
4 specialist posts. Four regional posts are vacant, one per province, each with an open
vacancy. Holders are fictional people (their names say "demo"); their numbers are not real."""

import io
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone

from muhim.accounts.demo import demo_password
from muhim.accounts.models import Role
from muhim.geography.models import Area

from .models import Application, OrganiserProfile, Post, Sex, Specialism, Vacancy
from .services import apply, assign, move_application, open_vacancy, save_post

# code, title, Urdu title, province, covered areas, holder username (None: vacant)
REGIONAL = [
    ("rco-pb-lahore", "Lahore", "لاہور", "pb", ["pb-lahore-division"], "organiser-lahore"),
    ("rco-pb-rawalpindi", "Rawalpindi", "راولپنڈی", "pb", ["pb-rawalpindi", "pb-attock"], "rco-rawalpindi"),
    (
        "rco-pb-jhelum-chakwal",
        "Jhelum and Chakwal",
        "جہلم اور چکوال",
        "pb",
        ["pb-jhelum", "pb-chakwal"],
        "rco-jhelum",
    ),
    (
        "rco-pb-gujranwala",
        "Gujranwala",
        "گوجرانوالہ",
        "pb",
        ["pb-gujranwala", "pb-hafizabad", "pb-narowal", "pb-sialkot"],
        "rco-gujranwala",
    ),
    (
        "rco-pb-gujrat",
        "Gujrat and Mandi Bahauddin",
        "گجرات اور منڈی بہاؤالدین",
        "pb",
        ["pb-gujrat", "pb-mandi-bahauddin"],
        "rco-gujrat",
    ),
    ("rco-pb-faisalabad", "Faisalabad", "فیصل آباد", "pb", ["pb-faisalabad-division"], "rco-faisalabad"),
    ("rco-pb-sargodha", "Sargodha", "سرگودھا", "pb", ["pb-sargodha-division"], "rco-sargodha"),
    ("rco-pb-sahiwal", "Sahiwal", "ساہیوال", "pb", ["pb-sahiwal-division"], "rco-sahiwal"),
    ("rco-pb-multan", "Multan", "ملتان", "pb", ["pb-multan-division"], "rco-multan"),
    ("rco-pb-bahawalpur", "Bahawalpur", "بہاولپور", "pb", ["pb-bahawalpur-division"], "rco-bahawalpur"),
    (
        "rco-pb-dera-ghazi-khan",
        "Dera Ghazi Khan",
        "ڈیرہ غازی خان",
        "pb",
        ["pb-dera-ghazi-khan-division"],
        None,
    ),
    ("rco-sd-karachi", "Karachi", "کراچی", "sd", ["sd-karachi-division"], "organiser-karachi"),
    (
        "rco-sd-hyderabad",
        "Hyderabad",
        "حیدرآباد",
        "sd",
        [
            "sd-hyderabad",
            "sd-matiari",
            "sd-tando-allahyar",
            "sd-tando-muhammad-khan",
            "sd-jamshoro",
            "sd-dadu",
        ],
        "rco-hyderabad",
    ),
    (
        "rco-sd-thatta-badin",
        "Thatta, Sujawal and Badin",
        "ٹھٹہ، سجاول اور بدین",
        "sd",
        ["sd-thatta", "sd-sujawal", "sd-badin"],
        "rco-thatta",
    ),
    (
        "rco-sd-larkana",
        "Larkana",
        "لاڑکانہ",
        "sd",
        ["sd-larkana", "sd-kambar-shahdadkot", "sd-shikarpur"],
        "rco-larkana",
    ),
    (
        "rco-sd-jacobabad",
        "Jacobabad and Kashmore",
        "جیکب آباد اور کشمور",
        "sd",
        ["sd-jacobabad", "sd-kashmore"],
        "rco-jacobabad",
    ),
    ("rco-sd-sukkur", "Sukkur", "سکھر", "sd", ["sd-sukkur-division"], "rco-sukkur"),
    (
        "rco-sd-benazirabad",
        "Shaheed Benazirabad",
        "شہید بینظیر آباد",
        "sd",
        ["sd-shaheed-benazirabad-division"],
        "rco-benazirabad",
    ),
    (
        "rco-sd-mirpur-khas",
        "Mirpur Khas and Thar",
        "میرپور خاص اور تھر",
        "sd",
        ["sd-mirpur-khas-division"],
        None,
    ),
    ("rco-kp-peshawar", "Peshawar", "پشاور", "kp", ["kp-peshawar-division"], "rco-peshawar"),
    ("rco-kp-mardan", "Mardan", "مردان", "kp", ["kp-mardan-division"], "rco-mardan"),
    ("rco-kp-malakand", "Malakand", "ملاکنڈ", "kp", ["kp-malakand-division"], "rco-malakand"),
    ("rco-kp-hazara", "Hazara", "ہزارہ", "kp", ["kp-hazara-division"], "rco-hazara"),
    ("rco-kp-kohat", "Kohat", "کوہاٹ", "kp", ["kp-kohat-division"], "rco-kohat"),
    (
        "rco-kp-dera-ismail-khan",
        "Dera Ismail Khan",
        "ڈیرہ اسماعیل خان",
        "kp",
        ["kp-dera-ismail-khan-division"],
        "rco-dikhan",
    ),
    ("rco-kp-bannu", "Bannu", "بنوں", "kp", ["kp-bannu-division"], None),
    ("rco-ba-quetta", "Quetta", "کوئٹہ", "ba", ["ba-quetta-division"], "rco-quetta"),
    (
        "rco-ba-kalat-makran",
        "Kalat and Makran",
        "قلات اور مکران",
        "ba",
        ["ba-kalat-division", "ba-makran-division"],
        "rco-kalat",
    ),
    (
        "rco-ba-nasirabad-sibi",
        "Nasirabad and Sibi",
        "نصیر آباد اور سبی",
        "ba",
        ["ba-nasirabad-division", "ba-sibi-division"],
        "rco-sibi",
    ),
    (
        "rco-ba-zhob-loralai",
        "Zhob and Loralai",
        "ژوب اور لورالائی",
        "ba",
        ["ba-zhob-division", "ba-loralai-division"],
        "rco-zhob",
    ),
    ("rco-ba-rakhshan", "Rakhshan", "رخشان", "ba", ["ba-rakhshan-division"], None),
]

SPECIALISTS = [
    (
        "specialist-media",
        Specialism.MEDIA,
        "Media engagement specialist",
        "ماہرِ میڈیا رابطہ",
        "specialist-media",
    ),
    ("specialist-data", Specialism.DATA, "Data analysis specialist", "ماہرِ ڈیٹا تجزیہ", "specialist"),
    (
        "specialist-digital",
        Specialism.DIGITAL,
        "Digital strategy specialist",
        "ماہرِ ڈیجیٹل حکمت عملی",
        "specialist-digital",
    ),
    (
        "specialist-alliances",
        Specialism.ALLIANCES,
        "Alliances specialist",
        "ماہرِ اتحاد و شراکت",
        "specialist-alliances",
    ),
]

# Fictional first names for demo holders; every public name ends in "(demo)".
FIRST_NAMES = [
    "Ayesha",
    "Bilal",
    "Sadia",
    "Usman",
    "Fatima",
    "Hamza",
    "Mehwish",
    "Zain",
    "Rabia",
    "Kamran",
    "Nadia",
    "Faisal",
    "Saima",
    "Tariq",
    "Hira",
    "Imran",
    "Sana",
    "Asad",
    "Maryam",
    "Junaid",
    "Amna",
    "Waqas",
    "Iqra",
    "Shahid",
    "Zara",
    "Noman",
    "Kiran",
    "Adnan",
    "Mahnoor",
    "Salman",
    "Anum",
]


# Demo applicants for each open vacancy: name, sex, and the stages their application went
# through after it was received. Nobody is hired, so the four posts stay vacant.
APPLICANTS = [
    ("Shazia", Sex.FEMALE, ["shortlisted", "interviewed"]),
    ("Rukhsana", Sex.FEMALE, ["shortlisted"]),
    ("Naveed", Sex.MALE, []),
    ("Abid", Sex.MALE, ["not_selected"]),
    ("Samina", Sex.FEMALE, []),
]


def _blank_cv():
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _applications(vacancy, index):
    """A few applications to `vacancy` at different stages, unless it has some already."""
    if vacancy.applications.exists():
        return 0
    districts = list(Area.objects.districts().within(*vacancy.post.areas.all()).order_by("name")[:3])
    cv = _blank_cv()
    made = 0
    for number, (first, sex, stages) in enumerate(APPLICANTS[: 3 + index % 3]):
        application = apply(
            vacancy=vacancy,
            cv=ContentFile(cv, name=f"cv-{first.lower()}.pdf"),
            cv_kind="pdf",
            full_name=f"{first} Applicant (demo)",
            email=f"{first.lower()}.{vacancy.pk}@example.org",
            phone=f"+923450{vacancy.pk:02d}{number:04d}",
            sex=sex,
            district=districts[number % len(districts)] if districts else None,
            cover_note="I run a parents' group and want every child in my district in school.",
        )
        for stage in stages:
            move_application(application=application, status=Application.Status(stage))
        made += 1
    return made


def _holder(username, index, password):
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    if user is None:
        first = FIRST_NAMES[index % len(FIRST_NAMES)]
        user = User(username=username, first_name=first, last_name="(demo)", email=f"{username}@example.org")
        user.set_password(password)
        user.save()
    if not hasattr(user, "organiser_profile"):
        OrganiserProfile.objects.create(
            user=user,
            public_name=f"{user.first_name} {user.last_name}".strip(),
            phone=f"+923000000{index:03d}",
            whatsapp=f"+923000000{index:03d}",
            email=user.email or f"{username}@example.org",
            publish_phone=True,
            publish_whatsapp=index % 2 == 0,
            publish_email=index % 3 != 0,
        )
    return user


def load(*, stdout):
    load_network(stdout=stdout)
    load_applications(stdout=stdout)


def load_applications(*, stdout):
    """Demo applicants for the open vacancies (tests of the network alone leave them out)."""
    made = sum(
        _applications(vacancy, index)
        for index, vacancy in enumerate(Vacancy.objects.open().select_related("post").order_by("pk"))
    )
    stdout.write(f"  {made} demo applications created ({Application.objects.count()} in all)")


def load_network(*, stdout):
    password = demo_password()
    areas = {a.code: a for a in Area.objects.all()}
    created = 0
    start = timezone.localdate() - timedelta(days=400)
    for index, (code, name, name_ur, province, covers, holder) in enumerate(REGIONAL):
        post = Post.objects.filter(code=code).first()
        if post is None:
            post = Post(
                code=code,
                kind=Post.Kind.REGIONAL,
                title=f"Regional Campaign Organiser, {name}",
                title_ur=f"علاقائی کیمپین آرگنائزر، {name_ur}",
                province=areas[province],
            )
            save_post(post=post, areas=[areas[c] for c in covers])
            created += 1
            if holder:
                assign(
                    post=post,
                    holder=_holder(holder, index, password),
                    start_date=start + timedelta(days=index * 7),
                )
        if holder is None and not Vacancy.objects.filter(post=post).exists():
            open_vacancy(
                post=post,
                closes_on=timezone.localdate() + timedelta(days=30),
                description=(
                    "We are looking for a community leader who cares about children's schooling to "
                    "organise parents, volunteers and local media in this region."
                ),
                description_ur=(
                    "ہمیں ایسے سماجی رہنما کی تلاش ہے جو بچوں کی تعلیم کی فکر رکھتا ہو اور اس علاقے میں "
                    "والدین، رضاکاروں اور مقامی میڈیا کو منظم کرے۔"
                ),
            )
    for offset, (code, specialism, title, title_ur, holder) in enumerate(SPECIALISTS, start=len(REGIONAL)):
        if Post.objects.filter(code=code).exists():
            continue
        post = save_post(
            post=Post(
                code=code, kind=Post.Kind.SPECIALIST, specialism=specialism, title=title, title_ur=title_ur
            )
        )
        user = _holder(holder, offset, password)
        if not user.role:
            user.role = Role.SPECIALIST
            user.save(update_fields=["role"])
        assign(post=post, holder=user, start_date=date(start.year, start.month, 1))
        created += 1
    stdout.write(
        f"  {created} posts created ({Post.objects.count()} in all: "
        f"{Post.objects.covered().count()} held, {Post.objects.vacant().count()} vacant)"
    )
