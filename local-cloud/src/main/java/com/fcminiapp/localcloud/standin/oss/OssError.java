package com.fcminiapp.localcloud.standin.oss;

import java.util.LinkedHashMap;
import java.util.Map;

/** A refusal in OSS's own terms: HTTP status, error code, message and the extra elements OSS adds to its XML. */
final class OssError extends RuntimeException {

    final int status;
    final String code;
    final Map<String, String> details = new LinkedHashMap<>();

    OssError(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    OssError with(String element, String value) {
        if (value != null) {
            details.put(element, value);
        }
        return this;
    }

    static OssError noSuchBucket(String bucket) {
        return new OssError(404, "NoSuchBucket", "The specified bucket does not exist.").with("BucketName", bucket);
    }

    static OssError noSuchKey(String key) {
        return new OssError(404, "NoSuchKey", "The specified key does not exist.").with("Key", key);
    }

    static OssError accessDenied(String message) {
        return new OssError(403, "AccessDenied", message);
    }

    static OssError invalidArgument(String message, String name, String value) {
        return new OssError(400, "InvalidArgument", message).with("ArgumentName", name).with("ArgumentValue", value);
    }

    static OssError invalidAccessKeyId(String accessKeyId) {
        return new OssError(403, "InvalidAccessKeyId", "The OSS Access Key Id you provided does not exist in our records.")
                .with("OSSAccessKeyId", accessKeyId);
    }

    static OssError signatureDoesNotMatch(String accessKeyId, String stringToSign, String provided) {
        return new OssError(403, "SignatureDoesNotMatch",
                "The request signature we calculated does not match the signature you provided. "
                        + "Check your key and signing method.")
                .with("OSSAccessKeyId", accessKeyId)
                .with("SignatureProvided", provided)
                .with("StringToSign", stringToSign);
    }

    static OssError malformedPost(String message) {
        return new OssError(400, "MalformedPOSTRequest", message);
    }

    static OssError invalidPolicy(String message) {
        return new OssError(400, "InvalidPolicyDocument", message);
    }
}
