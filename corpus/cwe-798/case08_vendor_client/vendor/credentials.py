API_KEY_ID = "key_live_51HxQ2"
API_SECRET = "sk_live_9fJ2kLm4Np7Qr1St3Uv5Wx8Yz0Ab2Cd"
