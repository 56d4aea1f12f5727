package com.fcminiapp.kit;

/** What a put demands of the stored item: nothing, that there is none (create only), or that there is one. */
public enum Expect { ANY, ABSENT, PRESENT }
