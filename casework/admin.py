"""Case data is not in the Django admin.

Administrators manage users, roles and teams and read the access trail; they see no case data unless
they also hold a case role (issue 3), and then only through the case pages, which check object
permissions and write the access trail. The admin checks neither, so no casework model is registered.
"""
