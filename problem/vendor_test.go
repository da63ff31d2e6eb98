package problem_test

// vendorCatalog is a vendor's status table, with its own phrases and
// delays, that the responder tests answer with. catalog's tests load the
// same table.
const vendorCatalog = `{
  "statuses": [
    {"code": 400, "phrase": "BadRequest", "description": "The request is invalid.", "retry": "never"},
    {"code": 408, "phrase": "Request Time-out", "retry": "anytime"},
    {"code": 429, "phrase": "TooManyRequests", "retry": "after-delay", "retryAfter": 30},
    {"code": 504, "phrase": "ServerTimeout", "retry": "anytime"},
    {"code": 520, "phrase": "UnknownError", "description": "Something failed upstream."},
    {"code": 418, "phrase": "Teapot", "retry": "never"}
  ]
}`
