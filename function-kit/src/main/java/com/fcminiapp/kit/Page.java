package com.fcminiapp.kit;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/** One page of a listing: its items and the opaque token of the next page (null on the last). */
public interface Page {

    List<ObjectNode> items();

    String next();
}
