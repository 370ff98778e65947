"""The workers' e-mail backend in the fault tests: real SMTP, with a gate to hold a send mid-task.

When the file named by FAULTS_GATE exists, a send writes the worker child's
pid to FAULTS_GATE + ".held" and waits until the gate is removed. The test
then knows which process is in the middle of a task and can kill it there.
A number in the gate file lets that many e-mails through first, so a test
can stop a worker in the middle of a batch. FAULTS_SEND_DELAY (seconds)
makes every send that slow: a worker crawling through a batch.
"""

import os
import time
from pathlib import Path

from django.core.mail.backends.smtp import EmailBackend

_sent_past_the_gate = 0


class GatedSMTPBackend(EmailBackend):
    def send_messages(self, email_messages):
        global _sent_past_the_gate
        delay = float(os.environ.get("FAULTS_SEND_DELAY") or 0)
        if delay:
            time.sleep(delay)
        gate = os.environ.get("FAULTS_GATE")
        if gate and Path(gate).exists():
            let_through = int(Path(gate).read_text().strip() or 0)
            if _sent_past_the_gate >= let_through:
                Path(gate + ".held").write_text(str(os.getpid()))
                deadline = time.monotonic() + 60
                while Path(gate).exists() and time.monotonic() < deadline:
                    time.sleep(0.05)
            else:
                _sent_past_the_gate += 1
        return super().send_messages(email_messages)
