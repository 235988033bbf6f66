// The public embedding API.
