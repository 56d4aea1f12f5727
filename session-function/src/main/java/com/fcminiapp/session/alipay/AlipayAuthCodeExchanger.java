package com.fcminiapp.session.alipay;

import com.alipay.api.AlipayApiException;
import com.alipay.api.AlipayClient;
import com.alipay.api.AlipayConfig;
import com.alipay.api.DefaultAlipayClient;
import com.alipay.api.internal.util.AlipayLogger;
import com.alipay.api.request.AlipaySystemOauthTokenRequest;
import com.alipay.api.response.AlipaySystemOauthTokenResponse;
import com.fcminiapp.common.config.SessionConfig;
import com.fcminiapp.common.error.ApiException;
import com.fcminiapp.common.error.ErrorCode;

import java.util.regex.Pattern;

/**
 * {@code alipay.system.oauth.token} through alipay-sdk-java: RSA2 in public-key mode, the answer's signature
 * checked by the SDK against the Alipay public key, so the uid comes only from a signed answer.
 */
public final class AlipayAuthCodeExchanger implements AuthCodeExchanger {

    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final AlipayClient client;

    public AlipayAuthCodeExchanger(AlipayClient client) {
        this.client = client;
    }

    /** The production client, built once per instance from the function's configuration. */
    public static AlipayClient createClient(SessionConfig config) {
        // the SDK's own java.util.logging lines quote the authCode and, on errors, Alipay's whole answer
        AlipayLogger.setNeedEnableLogger(false);
        AlipayConfig alipay = new AlipayConfig();
        alipay.setServerUrl(config.alipayGateway());
        alipay.setAppId(config.alipayAppId());
        alipay.setPrivateKey(config.alipayPrivateKey());
        alipay.setAlipayPublicKey(config.alipayPublicKey());
        alipay.setFormat("json");
        alipay.setCharset("UTF-8");
        // the SDK's default is RSA (SHA1); the contract wants RSA2
        alipay.setSignType("RSA2");
        int timeout = (int) config.tablestore().upstreamTimeout().toMillis();
        alipay.setConnectTimeout(timeout);
        alipay.setReadTimeout(timeout);
        try {
            return new DefaultAlipayClient(alipay);
        } catch (AlipayApiException e) {
            throw new IllegalStateException("Alipay client configuration refused: " + e.getErrCode(), e);
        }
    }

    @Override
    public String exchange(String authCode) {
        AlipaySystemOauthTokenRequest request = new AlipaySystemOauthTokenRequest();
        request.setGrantType("authorization_code");
        request.setCode(authCode);
        AlipaySystemOauthTokenResponse response;
        try {
            response = client.execute(request);
        } catch (AlipayApiException | RuntimeException e) {
            throw ApiException.upstream("Alipay", e);
        }
        if (response == null) {
            throw ApiException.upstream("Alipay", null);
        }
        if (!response.isSuccess()) {
            throw refusal(response);
        }
        String uid = notBlank(response.getOpenId()) ? response.getOpenId() : response.getUserId();
        if (!notBlank(uid)) {
            throw new ApiException(ErrorCode.INTERNAL,
                    "Alipay answered without open_id or user_id; check the app's authorization scope.");
        }
        return uid;
    }

    private static ApiException refusal(AlipaySystemOauthTokenResponse response) {
        String code = safe(response.getCode());
        String subCode = safe(response.getSubCode());
        if (subCode.startsWith("isv.code") || subCode.contains("code-invalid") || subCode.contains("code-expired")) {
            return new ApiException(ErrorCode.AUTH_CODE_REJECTED,
                    "Alipay refused the authCode (invalid, used or expired); get a new one with my.getAuthCode.");
        }
        if (code.equals("20000") || subCode.startsWith("aop.") || subCode.contains("unknow-error")) {
            return ApiException.upstream("Alipay", null);
        }
        return new ApiException(ErrorCode.INTERNAL, "Alipay refused the request (" + code
                + (subCode.isEmpty() ? "" : " " + subCode) + "); check ALIPAY_APP_ID and the app's keys.");
    }

    private static boolean notBlank(String s) {
        return s != null && !s.trim().isEmpty();
    }

    private static String safe(String s) {
        return s != null && SAFE.matcher(s).matches() ? s : "";
    }
}
