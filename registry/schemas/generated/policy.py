# Generated from registry/schemas/policy.json by `python -m registry.schemas.generate`
# (fastjsonschema 2.22.3); do not edit.
VERSION = "2.22.3"
import re
from . import JsonSchemaValueException, JsonSchemaValuesException


REGEX_PATTERNS = {
    '^([a-z0-9][a-z0-9-]*|[^@\\s]+@[^@\\s]+)$': re.compile('^([a-z0-9][a-z0-9-]*|[^@\\s]+@[^@\\s]+)\\Z'),
    '^[a-z0-9][a-z0-9-]*(, ?[a-z0-9][a-z0-9-]*)*$': re.compile('^[a-z0-9][a-z0-9-]*(, ?[a-z0-9][a-z0-9-]*)*\\Z'),
    '^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(-[0-9A-Za-z.-]+)?(\\+[0-9A-Za-z.-]+)?$': re.compile('^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(-[0-9A-Za-z.-]+)?(\\+[0-9A-Za-z.-]+)?\\Z'),
    '^[^,\\s][^,]*(, ?[^,\\s][^,]*)*$': re.compile('^[^,\\s][^,]*(, ?[^,\\s][^,]*)*\\Z')
}

NoneType = type(None)

def validate_https___relay_dev_schemas_policy_json(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object")
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data__missing_keys = set(['owner', 'category']) - data.keys()
        if data__missing_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain ")
        data_keys = set(data.keys())
        if "owner" in data_keys:
            data_keys.remove("owner")
            data__owner = data["owner"]
            if not isinstance(data__owner, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".owner must be string")
            if isinstance(data__owner, str):
                if not REGEX_PATTERNS['^([a-z0-9][a-z0-9-]*|[^@\\s]+@[^@\\s]+)$'].search(data__owner):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".owner must match pattern ^([a-z0-9][a-z0-9-]*|[^@\\s]+@[^@\\s]+)$")
        if "category" in data_keys:
            data_keys.remove("category")
            data__category = data["category"]
            if not (isinstance(data__category, str) and data__category == 'engineering' or isinstance(data__category, str) and data__category == 'operations' or isinstance(data__category, str) and data__category == 'data' or isinstance(data__category, str) and data__category == 'security' or isinstance(data__category, str) and data__category == 'documentation' or isinstance(data__category, str) and data__category == 'testing' or isinstance(data__category, str) and data__category == 'process'):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".category must be one of ['engineering', 'operations', 'data', 'security', 'documentation', 'testing', 'process']")
        if "tags" in data_keys:
            data_keys.remove("tags")
            data__tags = data["tags"]
            if not isinstance(data__tags, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".tags must be string")
            if isinstance(data__tags, str):
                if not REGEX_PATTERNS['^[a-z0-9][a-z0-9-]*(, ?[a-z0-9][a-z0-9-]*)*$'].search(data__tags):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".tags must match pattern ^[a-z0-9][a-z0-9-]*(, ?[a-z0-9][a-z0-9-]*)*$")
        if "version" in data_keys:
            data_keys.remove("version")
            data__version = data["version"]
            if not isinstance(data__version, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".version must be string")
            if isinstance(data__version, str):
                if not REGEX_PATTERNS['^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(-[0-9A-Za-z.-]+)?(\\+[0-9A-Za-z.-]+)?$'].search(data__version):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".version must match pattern ^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(-[0-9A-Za-z.-]+)?(\\+[0-9A-Za-z.-]+)?$")
        if "audience" in data_keys:
            data_keys.remove("audience")
            data__audience = data["audience"]
            if not isinstance(data__audience, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".audience must be string")
            if isinstance(data__audience, str):
                if not REGEX_PATTERNS['^[^,\\s][^,]*(, ?[^,\\s][^,]*)*$'].search(data__audience):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".audience must match pattern ^[^,\\s][^,]*(, ?[^,\\s][^,]*)*$")
        if "status" in data_keys:
            data_keys.remove("status")
            data__status = data["status"]
            if not (isinstance(data__status, str) and data__status == 'experimental' or isinstance(data__status, str) and data__status == 'stable' or isinstance(data__status, str) and data__status == 'deprecated'):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".status must be one of ['experimental', 'stable', 'deprecated']")
    return data


validate = validate_https___relay_dev_schemas_policy_json
