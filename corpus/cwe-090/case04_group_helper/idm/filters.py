def member_filter(group_name):
    return "(&(objectClass=groupOfNames)(cn=" + group_name + "))"
