"""The pitboss.v1 messages: the *_pb2 modules protoc generates from proto/pitboss/v1.

They are build outputs: the CMake build stages them next to this file in
<build>/python/pitboss/v1/, and `pip install bindings/python` copies them into
the installed package."""
