#define UTS_RELEASE "6.1.0-9-amd64"
