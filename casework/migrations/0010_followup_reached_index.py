"""The headline report's index (issue 7): a period's reached follow-ups and their cases, read from the
index alone. At 100,000 survivors it takes the read of 24/25 H1's 200,000 reached follow-ups from a
parallel sequential scan of all 2,000,000 (about 150 ms a worker) to an index-only scan (about 30 ms).
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0009_performance_indexes"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="followup",
            index=models.Index(
                condition=models.Q(("outcome", "reached")), fields=["occurred_on", "case"], name="followup_reached_on"
            ),
        ),
    ]
