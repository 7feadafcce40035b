"""The demo's emails: reworded templates, a sent announcement and a scheduled one.

Called from load_demo after the rest of the demo exists. Idempotent: each piece is
found by its key or subject before it is made.
"""

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from judging.announcement_tasks import send_announcement
from judging.services.announcements import announcement_save, announcement_schedule
from submissions.models import Announcement, Cycle, EmailTemplate
from submissions.services.emails import email_template_save

SECRETARIAT = "secretariat@demo.gzaward.org"

TEMPLATES = [
    (
        "submission_acknowledgement",
        "en",
        "Thank you, {{ city_name }}: entry {{ entry_reference }} is in",
        "Dear {{ recipient_name }},\n\n"
        'Thank you for entering "{{ entry_title }}" in cycle {{ cycle_number }} of the '
        "Guangzhou International Award for Urban Innovation.\n\n"
        "Reference number: {{ entry_reference }}\n"
        "Received: {{ received_at }} (Beijing time)\n"
        "{% if early_bird_note %}\n{{ early_bird_note }}\n{% endif %}\n"
        "Our team now checks every entry for eligibility; we may write to you with a question. "
        "Follow your entry here:\n{{ dashboard_url }}\n\n"
        "Warm regards,\nMei Chen, for the Secretariat of the Guangzhou Award\n",
    ),
    (
        "submission_acknowledgement",
        "fr",
        "Merci, {{ city_name }} : la candidature {{ entry_reference }} est reçue",
        "Madame, Monsieur {{ recipient_name }},\n\n"
        "Merci d'avoir présenté « {{ entry_title }} » au cycle {{ cycle_number }} du Prix "
        "international de Guangzhou pour l'innovation urbaine.\n\n"
        "Numéro de référence : {{ entry_reference }}\n"
        "Reçue le : {{ received_at }} (heure de Pékin)\n\n"
        "Suivez votre candidature ici :\n{{ dashboard_url }}\n\n"
        "Le Secrétariat du Prix de Guangzhou\n",
    ),
    (
        "draft_reminder",
        "en",
        '{{ days_left }} days left: submit "{{ entry_title }}"',
        "Dear {{ recipient_name }},\n\n"
        'Your entry "{{ entry_title }}" ({{ entry_reference }}) is still a draft. The call '
        "for cycle {{ cycle_number }} closes on {{ deadline }} (Beijing time): "
        "{{ days_left }} days from now.\n\n"
        "Only submitted entries are assessed. If something blocks you, reply to this email: "
        "we are glad to help.\n\n{{ dashboard_url }}\n\n"
        "The Secretariat of the Guangzhou Award\n",
    ),
]

DEMO_LANGUAGES = [
    ("tc.chair@demo.gzaward.org", "zh-hans"),
    ("tc.member@demo.gzaward.org", "fr"),
    ("tc.4@demo.gzaward.org", "es"),
]
SENT_SUBJECT = "Welcome to the Technical Committee of cycle 7"
SENT_BODY = (
    "Dear {{ recipient_name }},\n\n"
    "Thank you for joining the Technical Committee of cycle {{ cycle_number }}. The first "
    "entries are being screened now; your assignments will appear in My reviews as soon as "
    "they are eligible. Please declare any conflict of interest before you read an entry.\n\n"
    "The Secretariat of the Guangzhou Award"
)
SENT_TRANSLATIONS = {
    "fr": {
        "subject": "Bienvenue au Comité technique du cycle 7",
        "body": "Madame, Monsieur {{ recipient_name }},\n\nMerci de rejoindre le Comité technique "
        "du cycle {{ cycle_number }}. Vos évaluations apparaîtront dans « Mes évaluations ».\n\n"
        "Le Secrétariat du Prix de Guangzhou",
    },
    "zh-hans": {
        "subject": "欢迎加入第7届技术委员会",
        "body": "尊敬的{{ recipient_name }}：\n\n感谢您加入第{{ cycle_number }}届技术委员会。"
        "分配给您的评审将显示在“我的评审”中。\n\n广州奖秘书处",
    },
}
SCHEDULED_SUBJECT = "Two weeks left to submit your entry"
SCHEDULED_BODY = (
    "Dear {{ recipient_name }},\n\n"
    "The call for cycle {{ cycle_number }} of the Guangzhou Award closes in two weeks. "
    "{{ city_name }} has an entry that is still a draft: please submit it in time.\n\n"
    "{{ site_url }}\n\nThe Secretariat of the Guangzhou Award"
)
SCHEDULED_TRANSLATIONS = {
    "es": {
        "subject": "Quedan dos semanas para presentar su candidatura",
        "body": "Estimado/a {{ recipient_name }}:\n\nLa convocatoria del ciclo {{ cycle_number }} "
        "cierra en dos semanas. {{ city_name }} tiene una candidatura en borrador.\n\n"
        "{{ site_url }}\n\nLa Secretaría del Premio de Guangzhou",
    },
}


def load_outbox_demo() -> None:
    staff = get_user_model().objects.filter(email=SECRETARIAT).first()
    cycle = Cycle.objects.filter(number=7).first()
    if staff is None or cycle is None:
        return
    for key, language, subject, body in TEMPLATES:
        if not EmailTemplate.objects.filter(key=key, language=language).exists():
            email_template_save(key=key, language=language, subject=subject, body=body, by=staff)

    if not Announcement.objects.filter(subject=SENT_SUBJECT).exists():
        # Members who read the portal in their own language get the announcement in it.
        User = get_user_model()
        for email, language in DEMO_LANGUAGES:
            User.objects.filter(email=email, language="en").update(language=language)
        sent = announcement_save(
            subject=SENT_SUBJECT,
            body=SENT_BODY,
            translations=SENT_TRANSLATIONS,
            audience="tc",
            cycle=cycle,
            by=staff,
        )
        announcement_schedule(announcement=sent, send_at=None, by=staff)
        send_announcement(sent.pk)  # in-process, so the demo's outbox shows it sent

    if not Announcement.objects.filter(subject=SCHEDULED_SUBJECT).exists():
        scheduled = announcement_save(
            subject=SCHEDULED_SUBJECT,
            body=SCHEDULED_BODY,
            translations=SCHEDULED_TRANSLATIONS,
            audience="drafts",
            cycle=cycle,
            by=staff,
        )
        send_at = (cycle.final_deadline or timezone.now() + dt.timedelta(days=30)) - dt.timedelta(
            days=14
        )
        announcement_schedule(
            announcement=scheduled,
            send_at=max(send_at, timezone.now() + dt.timedelta(days=1)),
            by=staff,
        )
