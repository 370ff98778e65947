"""The workers' e-mail backend in the fault tests: real SMTP, with a gate to hold a send mid-task.

When the file named by FAULTS_GATE exists, a send writes the worker child's
pid to FAULTS_GATE + ".held" and waits until the gate is removed. The test
then knows which process is in the middle of a task and can kill it there.
"""

import os
import time
from pathlib import Path

from django.core.mail.backends.smtp import EmailBackend


class GatedSMTPBackend(EmailBackend):
    def send_messages(self, email_messages):
        gate = os.environ.get("FAULTS_GATE")
        if gate and Path(gate).exists():
            Path(gate + ".held").write_text(str(os.getpid()))
            deadline = time.monotonic() + 60
            while Path(gate).exists() and time.monotonic() < deadline:
                time.sleep(0.05)
        return super().send_messages(email_messages)
