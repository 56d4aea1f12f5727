package com.fcminiapp.session.alipay;

/** Turns a mini-program's authCode into the Alipay user it belongs to. */
public interface AuthCodeExchanger {

    /**
     * @return the uid: {@code open_id} when Alipay gives one, else {@code user_id}
     * @throws com.fcminiapp.common.error.ApiException AUTH_CODE_REJECTED when Alipay refuses the code,
     *         UPSTREAM_UNAVAILABLE when Alipay cannot be reached
     */
    String exchange(String authCode);
}
