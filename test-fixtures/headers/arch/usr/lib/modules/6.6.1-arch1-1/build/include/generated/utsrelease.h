#define UTS_RELEASE "6.6.1-arch1-1"
