from django.core.management.base import BaseCommand

from solutions.demo_content import load_demo_content


class Command(BaseCommand):
    help = (
        "Create the demo content: the four networks, their member cities, the themes and the "
        "demo case studies with transfers and indicators. Existing rows are left as they are."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--with-demo-users",
            action="store_true",
            help="Also create a curator and one staff user per network, and print their logins.",
        )

    def handle(self, *args, with_demo_users, **options):
        summary = load_demo_content(with_users=with_demo_users)
        created = ", ".join(f"{count} {name}" for name, count in summary.created.items())
        self.stdout.write(self.style.SUCCESS(f"Demo content ready (newly created: {created})."))
        if summary.logins:
            self.stdout.write("Demo logins (for local use only):")
            for login in summary.logins:
                self.stdout.write(f"  {login.username:<20} {login.password:<22} {login.role}")
