/**
 * The largest request body any HTTP route reads, checked from the body's length before
 * it is parsed: by the local gateway as the body arrives, and by the HTTP chain in both
 * runtimes, since API Gateway passes up to 10 MB and Lambda 6 MB. The largest bodies in
 * use fit within it: a journey (128 KB at most), a template, a catalog import of 1,000
 * rows of a few hundred bytes; a catalog with longer rows goes in more files, as one of
 * more than 1,000 rows must.
 */
export const maxRequestBodyBytes = 1024 * 1024;

/**
 * What a caller turned away for load is told to wait, in seconds: by the cloud API when
 * its stage throttle or Lambda's concurrency is spent, and by the local gateway when a
 * function's invocations in flight are.
 */
export const busyRetryAfterSeconds = 1;
