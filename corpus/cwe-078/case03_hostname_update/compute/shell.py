import logging
import subprocess

LOG = logging.getLogger(__name__)


def run_in_guest(domain, command):
    full = "virsh qemu-agent-command %s --cmd '%s'" % (domain, command)
    LOG.debug("running %s", full)
    return subprocess.check_output(full, shell=True)
