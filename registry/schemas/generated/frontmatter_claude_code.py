# Generated from registry/schemas/frontmatter.claude-code.json by `python -m registry.schemas.generate`
# (fastjsonschema 2.22.3); do not edit.
VERSION = "2.22.3"
import re
from . import JsonSchemaValueException, JsonSchemaValuesException


REGEX_PATTERNS = {
    '^[a-z0-9]+(-[a-z0-9]+)*$': re.compile('^[a-z0-9]+(-[a-z0-9]+)*\\Z')
}

NoneType = type(None)

def validate_https___relay_dev_schemas_frontmatter_claude_code_json(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object")
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data__missing_keys = set(['name', 'description']) - data.keys()
        if data__missing_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain ")
        data_keys = set(data.keys())
        if "name" in data_keys:
            data_keys.remove("name")
            data__name = data["name"]
            if not isinstance(data__name, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".name must be string")
            if isinstance(data__name, str):
                data__name_len = len(data__name)
                if data__name_len < 1:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".name must be longer than or equal to 1 characters")
                if data__name_len > 64:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".name must be shorter than or equal to 64 characters")
                if not REGEX_PATTERNS['^[a-z0-9]+(-[a-z0-9]+)*$'].search(data__name):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".name must match pattern ^[a-z0-9]+(-[a-z0-9]+)*$")
        if "description" in data_keys:
            data_keys.remove("description")
            data__description = data["description"]
            if not isinstance(data__description, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".description must be string")
            if isinstance(data__description, str):
                data__description_len = len(data__description)
                if data__description_len < 1:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".description must be longer than or equal to 1 characters")
                if data__description_len > 1024:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".description must be shorter than or equal to 1024 characters")
        if "license" in data_keys:
            data_keys.remove("license")
            data__license = data["license"]
            if not isinstance(data__license, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".license must be string")
            if isinstance(data__license, str):
                data__license_len = len(data__license)
                if data__license_len < 1:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".license must be longer than or equal to 1 characters")
        if "compatibility" in data_keys:
            data_keys.remove("compatibility")
            data__compatibility = data["compatibility"]
            if not isinstance(data__compatibility, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".compatibility must be string")
            if isinstance(data__compatibility, str):
                data__compatibility_len = len(data__compatibility)
                if data__compatibility_len < 1:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".compatibility must be longer than or equal to 1 characters")
                if data__compatibility_len > 500:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".compatibility must be shorter than or equal to 500 characters")
        if "metadata" in data_keys:
            data_keys.remove("metadata")
            data__metadata = data["metadata"]
            if not isinstance(data__metadata, (dict)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".metadata must be object")
            data__metadata_is_dict = isinstance(data__metadata, dict)
            if data__metadata_is_dict:
                data__metadata_keys = set(data__metadata.keys())
                for data__metadata_key in data__metadata_keys:
                    if data__metadata_key not in []:
                        data__metadata_value = data__metadata.get(data__metadata_key)
                        if not isinstance(data__metadata_value, (str)):
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".metadata.{data__metadata_key}".format(**locals()) + " must be string")
                data__metadata_len = len(data__metadata)
                if data__metadata_len != 0:
                    data__metadata_property_names = True
                    for data__metadata_key in data__metadata:
                        try:
                            if not isinstance(data__metadata_key, (str)):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".metadata must be string")
                            if isinstance(data__metadata_key, str):
                                data__metadata_key_len = len(data__metadata_key)
                                if data__metadata_key_len < 1:
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".metadata must be longer than or equal to 1 characters")
                        except (JsonSchemaValueException, JsonSchemaValuesException):
                            data__metadata_property_names = False
                    if not data__metadata_property_names:
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".metadata must be named by propertyName definition")
        if "allowed-tools" in data_keys:
            data_keys.remove("allowed-tools")
            data__allowedtools = data["allowed-tools"]
            data__allowedtools_one_of_count1 = 0
            if data__allowedtools_one_of_count1 < 2:
                try:
                    if not isinstance(data__allowedtools, (str)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".allowed-tools must be string")
                    data__allowedtools_one_of_count1 += 1
                except (JsonSchemaValueException, JsonSchemaValuesException): pass
            if data__allowedtools_one_of_count1 < 2:
                try:
                    if not isinstance(data__allowedtools, (list, tuple)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".allowed-tools must be array")
                    data__allowedtools_is_list = isinstance(data__allowedtools, (list, tuple))
                    if data__allowedtools_is_list:
                        data__allowedtools_len = len(data__allowedtools)
                        for data__allowedtools_x, data__allowedtools_item in enumerate(data__allowedtools):
                            if not isinstance(data__allowedtools_item, (str)):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".allowed-tools[{data__allowedtools_x}]".format(**locals()) + " must be string")
                    data__allowedtools_one_of_count1 += 1
                except (JsonSchemaValueException, JsonSchemaValuesException): pass
            if data__allowedtools_one_of_count1 != 1:
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".allowed-tools must be valid exactly by one definition")
        if "when_to_use" in data_keys:
            data_keys.remove("when_to_use")
            data__whentouse = data["when_to_use"]
            if not isinstance(data__whentouse, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".when_to_use must be string")
            if isinstance(data__whentouse, str):
                data__whentouse_len = len(data__whentouse)
                if data__whentouse_len < 1:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".when_to_use must be longer than or equal to 1 characters")
        if "argument-hint" in data_keys:
            data_keys.remove("argument-hint")
            data__argumenthint = data["argument-hint"]
            if not isinstance(data__argumenthint, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".argument-hint must be string")
        if "arguments" in data_keys:
            data_keys.remove("arguments")
            data__arguments = data["arguments"]
            data__arguments_one_of_count2 = 0
            if data__arguments_one_of_count2 < 2:
                try:
                    if not isinstance(data__arguments, (str)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".arguments must be string")
                    data__arguments_one_of_count2 += 1
                except (JsonSchemaValueException, JsonSchemaValuesException): pass
            if data__arguments_one_of_count2 < 2:
                try:
                    if not isinstance(data__arguments, (list, tuple)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".arguments must be array")
                    data__arguments_one_of_count2 += 1
                except (JsonSchemaValueException, JsonSchemaValuesException): pass
            if data__arguments_one_of_count2 != 1:
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".arguments must be valid exactly by one definition")
        if "disable-model-invocation" in data_keys:
            data_keys.remove("disable-model-invocation")
            data__disablemodelinvocation = data["disable-model-invocation"]
            if not isinstance(data__disablemodelinvocation, (bool)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".disable-model-invocation must be boolean")
        if "user-invocable" in data_keys:
            data_keys.remove("user-invocable")
            data__userinvocable = data["user-invocable"]
            if not isinstance(data__userinvocable, (bool)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".user-invocable must be boolean")
        if "model" in data_keys:
            data_keys.remove("model")
            data__model = data["model"]
            if not isinstance(data__model, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".model must be string")
            if isinstance(data__model, str):
                data__model_len = len(data__model)
                if data__model_len < 1:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".model must be longer than or equal to 1 characters")
        if "effort" in data_keys:
            data_keys.remove("effort")
            data__effort = data["effort"]
            if not (isinstance(data__effort, str) and data__effort == 'low' or isinstance(data__effort, str) and data__effort == 'medium' or isinstance(data__effort, str) and data__effort == 'high' or isinstance(data__effort, str) and data__effort == 'xhigh' or isinstance(data__effort, str) and data__effort == 'max'):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".effort must be one of ['low', 'medium', 'high', 'xhigh', 'max']")
        if "context" in data_keys:
            data_keys.remove("context")
            data__context = data["context"]
            if not (isinstance(data__context, str) and data__context == 'fork' or isinstance(data__context, str) and data__context == 'inherit'):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".context must be one of ['fork', 'inherit']")
        if "agent" in data_keys:
            data_keys.remove("agent")
            data__agent = data["agent"]
            if not isinstance(data__agent, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".agent must be string")
            if isinstance(data__agent, str):
                data__agent_len = len(data__agent)
                if data__agent_len < 1:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".agent must be longer than or equal to 1 characters")
        if "hooks" in data_keys:
            data_keys.remove("hooks")
            data__hooks = data["hooks"]
            if not isinstance(data__hooks, (dict)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".hooks must be object")
        if "paths" in data_keys:
            data_keys.remove("paths")
            data__paths = data["paths"]
            data__paths_one_of_count3 = 0
            if data__paths_one_of_count3 < 2:
                try:
                    if not isinstance(data__paths, (str)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".paths must be string")
                    data__paths_one_of_count3 += 1
                except (JsonSchemaValueException, JsonSchemaValuesException): pass
            if data__paths_one_of_count3 < 2:
                try:
                    if not isinstance(data__paths, (list, tuple)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".paths must be array")
                    data__paths_is_list = isinstance(data__paths, (list, tuple))
                    if data__paths_is_list:
                        data__paths_len = len(data__paths)
                        for data__paths_x, data__paths_item in enumerate(data__paths):
                            if not isinstance(data__paths_item, (str)):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".paths[{data__paths_x}]".format(**locals()) + " must be string")
                    data__paths_one_of_count3 += 1
                except (JsonSchemaValueException, JsonSchemaValuesException): pass
            if data__paths_one_of_count3 != 1:
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".paths must be valid exactly by one definition")
        if "shell" in data_keys:
            data_keys.remove("shell")
            data__shell = data["shell"]
            if not (isinstance(data__shell, str) and data__shell == 'bash' or isinstance(data__shell, str) and data__shell == 'powershell'):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".shell must be one of ['bash', 'powershell']")
        if "version" in data_keys:
            data_keys.remove("version")
            data__version = data["version"]
            if not isinstance(data__version, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".version must be string")
        if data_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties")
    return data


validate = validate_https___relay_dev_schemas_frontmatter_claude_code_json
