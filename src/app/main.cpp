// sfsyncd entry point.
#include "app/SyncApp.h"

POCO_SERVER_MAIN(sfsync::app::SyncApp)
