from compute import shell


def set_hostname(instance_id, hostname):
    domain = "instance-%s" % instance_id
    shell.run_in_guest(domain, "hostnamectl set-hostname " + hostname)
