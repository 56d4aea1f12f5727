package com.fcminiapp.localcloud.standin.oss;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;

/** The body of a DeleteObjects request: {@code <Delete><Quiet>…</Quiet><Object><Key>…</Key></Object>…</Delete>}. */
final class DeleteDocument {

    final boolean quiet;
    final List<String> keys;

    private DeleteDocument(boolean quiet, List<String> keys) {
        this.quiet = quiet;
        this.keys = keys;
    }

    /** Parses {@code body}; anything but the documented shape is OSS's MalformedXML. */
    static DeleteDocument parse(byte[] body) {
        Document document;
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            // a request body is untrusted: no DTD, no external entity
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setExpandEntityReferences(false);
            document = factory.newDocumentBuilder().parse(new ByteArrayInputStream(body));
        } catch (Exception e) {
            throw malformed();
        }
        Element root = document.getDocumentElement();
        if (!"Delete".equals(root.getTagName())) {
            throw malformed();
        }
        boolean quiet = false;
        List<String> keys = new ArrayList<>();
        NodeList children = root.getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            Node child = children.item(i);
            if (!(child instanceof Element)) {
                continue;
            }
            String name = ((Element) child).getTagName();
            if (name.equals("Quiet")) {
                quiet = "true".equalsIgnoreCase(child.getTextContent().trim());
            } else if (name.equals("Object")) {
                NodeList key = ((Element) child).getElementsByTagName("Key");
                if (key.getLength() != 1 || key.item(0).getTextContent().isEmpty()) {
                    throw malformed();
                }
                keys.add(key.item(0).getTextContent());
            } else {
                throw malformed();
            }
        }
        return new DeleteDocument(quiet, keys);
    }

    private static OssError malformed() {
        return new OssError(400, "MalformedXML",
                "The XML you provided was not well-formed or did not validate against our published schema.");
    }
}
