package com.fcminiapp.common.tablestore;

import com.alicloud.openservices.tablestore.TableStoreException;
import com.fcminiapp.common.error.ApiException;

/** Maps Tablestore failures onto the contract's codes. */
public final class TablestoreErrors {

    public static final String CONDITION_CHECK_FAIL = "OTSConditionCheckFail";
    public static final String OBJECT_NOT_EXIST = "OTSObjectNotExist";
    public static final String OBJECT_ALREADY_EXIST = "OTSObjectAlreadyExist";

    private TablestoreErrors() {
    }

    public static boolean isConditionFailure(Throwable e) {
        return e instanceof TableStoreException
                && CONDITION_CHECK_FAIL.equals(((TableStoreException) e).getErrorCode());
    }

    public static boolean hasCode(Throwable e, String code) {
        return e instanceof TableStoreException && code.equals(((TableStoreException) e).getErrorCode());
    }

    /** Any other Tablestore failure: the store is unavailable for now, and the caller may retry. */
    public static ApiException unavailable(Exception e) {
        return ApiException.upstream("Tablestore", e);
    }
}
