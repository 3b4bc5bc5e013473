AUTH_URL = "http://keystone.example.com:5000/v3"
REGION = "RegionOne"
