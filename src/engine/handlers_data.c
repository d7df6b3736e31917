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
    {"reshape-to-panel", handle_reshape_to_panel},
    {"reshape-from-panel", handle_reshape_from_panel},
    {"recode", handle_recode},
    {"destring", handle_destring},
    {"define-labels", handle_define_labels},
    {"assign-labels", handle_assign_labels},
    {"drop-labels", handle_drop_labels},
    {"list-labels", handle_list_labels},
    {"sample", handle_sample},
    {"help", handle_help},
    {"help-function", handle_help_function},
    {"variables", handle_variables},
    {"history", handle_history},
    {"clear", handle_clear},
    {"save", handle_session_only},
    {"load", handle_session_only},
    {"edit", handle_session_only},
    {"configure", handle_session_only},
    {NULL, NULL},
};
