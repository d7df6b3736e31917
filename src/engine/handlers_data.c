/*
 * handlers_data.c - binds the dataset, data-preparation and support commands of the lang
 * command table to their handlers (engine/commands.h). A command missing here answers
 * "not yet implemented".
 */
#include "engine/commands.h"

const HandlerEntry engine_data_handlers[] = {
    {"require", handle_require},
    {"create-dataset", handle_create_dataset},
    {"use", handle_use},
    {"clone-dataset", handle_clone_dataset},
    {"clone-units", handle_clone_units},
    {"delete-dataset", handle_delete_dataset},
    {"rename-dataset", handle_rename_dataset},
    {"import", handle_import},
    {"import-event", handle_import_event},
    {"import-panel", handle_import_panel},
    {"rename", handle_rename},
    {"clone-variables", handle_clone_variables},
    {"drop", handle_drop},
    {"keep", handle_keep},
    {"aggregate", handle_aggregate},
    {"collapse", handle_collapse},
    {"merge", handle_merge},
    {NULL, NULL},
};
