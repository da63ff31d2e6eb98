package catalog

// defaultEntries is the default catalog: every status code in the IANA HTTP
// Status Code Registry, with the phrases of RFC 9110 §15 (and of the RFC that
// defines each other code). The descriptions are ours.
var defaultEntries = []Entry{
	// 1xx Informational (RFC 9110 §15.2)
	{Code: 100, Phrase: "Continue", Description: "The request headers were accepted; the client may send the request content."},
	{Code: 101, Phrase: "Switching Protocols", Description: "The server switches to the protocol the client asked for in Upgrade."},
	{Code: 102, Phrase: "Processing", Description: "The server has accepted the request and is still working on it (WebDAV, RFC 2518)."},
	{Code: 103, Phrase: "Early Hints", Description: "Headers the final response is likely to carry, sent ahead so the client can start preloading (RFC 8297)."},
	{Code: 104, Phrase: "Upload Resumption Supported", Description: "The server can resume this upload if it is interrupted (temporary registration, draft-ietf-httpbis-resumable-upload)."},

	// 2xx Successful (RFC 9110 §15.3)
	{Code: 200, Phrase: "OK", Description: "The request succeeded."},
	{Code: 201, Phrase: "Created", Description: "The request succeeded and created a resource, usually named by Location."},
	{Code: 202, Phrase: "Accepted", Description: "The request was accepted for processing, which has not finished yet."},
	{Code: 203, Phrase: "Non-Authoritative Information", Description: "The request succeeded, but a proxy changed the content the origin sent."},
	{Code: 204, Phrase: "No Content", Description: "The request succeeded and there is no content to send back."},
	{Code: 205, Phrase: "Reset Content", Description: "The request succeeded; the client should reset the form or view that sent it."},
	{Code: 206, Phrase: "Partial Content", Description: "The response holds the ranges of the resource the client asked for."},
	{Code: 207, Phrase: "Multi-Status", Description: "The response holds a separate status for each of several resources (WebDAV, RFC 4918)."},
	{Code: 208, Phrase: "Already Reported", Description: "The members of this binding were listed earlier in the same response (WebDAV, RFC 5842)."},
	{Code: 226, Phrase: "IM Used", Description: "The response is the result of instance manipulations applied to the resource (RFC 3229)."},

	// 3xx Redirection (RFC 9110 §15.4)
	{Code: 300, Phrase: "Multiple Choices", Description: "The resource has several representations; the client should choose one."},
	{Code: 301, Phrase: "Moved Permanently", Description: "The resource has a new permanent URI, given in Location."},
	{Code: 302, Phrase: "Found", Description: "The resource is temporarily at the URI given in Location."},
	{Code: 303, Phrase: "See Other", Description: "The result is at the URI in Location; fetch it with GET."},
	{Code: 304, Phrase: "Not Modified", Description: "The client's cached copy is still current."},
	{Code: 305, Phrase: "Use Proxy", Description: "Deprecated: the resource was to be reached through a proxy."},
	{Code: 306, Phrase: unusedPhrase, Description: "Reserved; no longer used."},
	{Code: 307, Phrase: "Temporary Redirect", Description: "Repeat the request, with the same method, at the URI given in Location."},
	{Code: 308, Phrase: "Permanent Redirect", Description: "The resource has moved for good; repeat the request, with the same method, at the URI given in Location."},

	// 4xx Client Error (RFC 9110 §15.5)
	{Code: 400, Phrase: "Bad Request", Description: "The request is malformed or invalid; the server cannot process it as it is."},
	{Code: 401, Phrase: "Unauthorized", Description: "The request lacks valid credentials; WWW-Authenticate says how to authenticate."},
	{Code: 402, Phrase: "Payment Required", Description: "Reserved for future use."},
	{Code: 403, Phrase: "Forbidden", Description: "The server understood the request but refuses it; other credentials will not help."},
	{Code: 404, Phrase: "Not Found", Description: "There is no resource at this URI, or the server will not say whether there is."},
	{Code: 405, Phrase: "Method Not Allowed", Description: "The resource does not support this method; Allow lists the ones it does."},
	{Code: 406, Phrase: "Not Acceptable", Description: "The resource has no representation the request's Accept headers allow."},
	{Code: 407, Phrase: "Proxy Authentication Required", Description: "The client must authenticate with the proxy; Proxy-Authenticate says how."},
	{Code: 408, Phrase: "Request Timeout", Description: "The server did not receive the whole request in time.", Retry: RetryAnytime},
	{Code: 409, Phrase: "Conflict", Description: "The request conflicts with the current state of the resource."},
	{Code: 410, Phrase: "Gone", Description: "The resource is no longer available and will not come back."},
	{Code: 411, Phrase: "Length Required", Description: "The request must state the length of its content in Content-Length."},
	{Code: 412, Phrase: "Precondition Failed", Description: "A condition in the request's headers, such as If-Match, does not hold."},
	{Code: 413, Phrase: "Content Too Large", Description: "The request content is larger than the server accepts."},
	{Code: 414, Phrase: "URI Too Long", Description: "The request's URI is longer than the server accepts."},
	{Code: 415, Phrase: "Unsupported Media Type", Description: "The server does not accept content of this media type or encoding."},
	{Code: 416, Phrase: "Range Not Satisfiable", Description: "None of the requested ranges overlap the resource; Content-Range gives its size."},
	{Code: 417, Phrase: "Expectation Failed", Description: "The server cannot meet the request's Expect header."},
	{Code: 418, Phrase: unusedPhrase, Description: "Reserved; no response may use it."},
	{Code: 421, Phrase: "Misdirected Request", Description: "The request reached a server that cannot answer for this URI; a new connection may reach one that can.", Retry: RetryAnytime},
	{Code: 422, Phrase: "Unprocessable Content", Description: "The request is well-formed, but its content is not valid."},
	{Code: 423, Phrase: "Locked", Description: "The resource is locked (WebDAV, RFC 4918).", Retry: RetryAnytime},
	{Code: 424, Phrase: "Failed Dependency", Description: "The request failed because a request it depends on failed (WebDAV, RFC 4918)."},
	{Code: 425, Phrase: "Too Early", Description: "The server will not process a request that might be replayed (TLS early data, RFC 8470).", Retry: RetryAnytime},
	{Code: 426, Phrase: "Upgrade Required", Description: "The server will answer only over the protocol named in Upgrade."},
	{Code: 428, Phrase: "Precondition Required", Description: "The request must be conditional, with If-Match or a similar header (RFC 6585)."},
	{Code: 429, Phrase: "Too Many Requests", Description: "The client has sent too many requests in a given time (RFC 6585).", Retry: RetryAfterDelay},
	{Code: 431, Phrase: "Request Header Fields Too Large", Description: "A header field, or all of them together, is larger than the server accepts (RFC 6585)."},
	{Code: 451, Phrase: "Unavailable For Legal Reasons", Description: "The server may not provide the resource for legal reasons (RFC 7725)."},

	// 5xx Server Error (RFC 9110 §15.6)
	{Code: 500, Phrase: "Internal Server Error", Description: "The server failed unexpectedly while handling the request.", Retry: RetryAnytime},
	{Code: 501, Phrase: "Not Implemented", Description: "The server does not support what the request needs, such as its method."},
	{Code: 502, Phrase: "Bad Gateway", Description: "A server this one depends on sent an invalid response.", Retry: RetryAnytime},
	{Code: 503, Phrase: "Service Unavailable", Description: "The server cannot handle the request now, because of load or maintenance.", Retry: RetryAfterDelay},
	{Code: 504, Phrase: "Gateway Timeout", Description: "A server this one depends on did not answer in time.", Retry: RetryAnytime},
	{Code: 505, Phrase: "HTTP Version Not Supported", Description: "The server does not support the request's major HTTP version."},
	{Code: 506, Phrase: "Variant Also Negotiates", Description: "The server's content negotiation is misconfigured (RFC 2295)."},
	{Code: 507, Phrase: "Insufficient Storage", Description: "The server cannot store what the request needs (WebDAV, RFC 4918).", Retry: RetryAnytime},
	{Code: 508, Phrase: "Loop Detected", Description: "The server found an infinite loop while processing the request (WebDAV, RFC 5842)."},
	{Code: 510, Phrase: "Not Extended", Description: "The request does not meet the server's extension policy (RFC 2774, historic)."},
	{Code: 511, Phrase: "Network Authentication Required", Description: "The client must authenticate to gain network access, as with a captive portal (RFC 6585)."},
}
