"""Deploy."""

AWS_KEY = "AKIAIOSFODNN7EXAMPLE"
api_token = "q8Zr2LmX9vT4wKp7NcY3bHs6"
PLACEHOLDER = "<your-token>"
